using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task ReadyAnswers200WhenDatabaseHasVectorExtension()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Contains("vector", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
    }

    [Fact]
    public async Task ReadyAnswers503WithProblemDetailsWhenDatabaseIsUnreachable()
    {
        await using var factory = new ConvEmbedApiFactory(TestDatabase.Unreachable);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, body.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("unreachable", body.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task LiveAnswers200EvenWhenDatabaseIsUnreachable()
    {
        await using var factory = new ConvEmbedApiFactory(TestDatabase.Unreachable);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRouteAnswersProblemDetails()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SwaggerServesTheUiAndTheDocument()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient();

        var ui = await client.GetAsync("/swagger/index.html");
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("/health/ready", document);
    }

    [Fact]
    public void InvalidConnectionStringStopsStartUp()
    {
        using var factory = new ConvEmbedApiFactory("this is = not; a connection=string;;=");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("ConvEmbed:Database:ConnectionString", validation.Message);
    }
}
