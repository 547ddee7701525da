using System.Net;
using System.Net.Http.Json;
using ConvEmbed.Service.Tests.Support;
using ConvEmbed.Service.Training;
using Microsoft.Extensions.DependencyInjection;

namespace ConvEmbed.Service.Tests.Training;

public sealed class AdminAccessTests
{
    [Fact]
    public async Task AdminAnswers401WithoutAKeyAnd403WithAWrongOne()
    {
        await using var factory = new ConvEmbedApiFactory(settings: AdminClient.Settings());
        using var client = factory.CreateClient();
        await Problems.AssertProblemAsync(await client.GetAsync("/admin/training"), HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", (await Json.ReadAsync(await client.GetAsync("/admin/training"))).GetProperty("detail").GetString());
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminClient.Key + "x");
        await Problems.AssertProblemAsync(await client.GetAsync("/admin/models"), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/admin/training", new { steps = 5 }), HttpStatusCode.Forbidden);
        client.WithKey();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/models")).StatusCode);
    }

    [Fact]
    public async Task AdminWithoutAConfiguredKeyAnswers503SayingHowToSetOne()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient().WithKey();
        await Problems.AssertProblemAsync(await client.GetAsync("/admin/training"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("ConvEmbed__Admin__ApiKey", (await Json.ReadAsync(await client.GetAsync("/admin/models"))).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models/active")).StatusCode); // public
    }

    [Fact]
    public async Task TrainingNeedsTheMinimumNumberOfTracks()
    {
        await using var factory = new ConvEmbedApiFactory(settings: AdminClient.Settings());
        using var client = factory.CreateClient().WithKey();
        await client.PostTrackAsync(await TestAudio.TrackAsync(0, 30));
        var title = await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/admin/training", new { steps = 5 }), HttpStatusCode.Conflict);
        Assert.Equal("Too few tracks to train on", title);
    }

    [Fact]
    public async Task SwaggerShowsTheKeySchemeOnAdminEndpointsOnly()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient();
        using var doc = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/admin/training").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/tracks").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/models/active").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task EnoughNewTracksQueueARetrainingByThemselvesWhenConfigured()
    {
        await using var factory = new ConvEmbedApiFactory(settings: AdminClient.Settings(new() { ["ConvEmbed:Training:AutoRetrainAfterTracks"] = "2" }));
        using var client = factory.CreateClient().WithKey();
        await client.PostTrackAsync(await TestAudio.TrackAsync(0, 31));
        // Two whole passes of the worker after the upload: it has looked at the library with one new track at least once.
        var worker = factory.Services.GetRequiredService<TrainingWorker>();
        var passes = worker.Passes;
        for (var i = 0; i < 200 && worker.Passes < passes + 2; i++) await Task.Delay(50);
        Assert.True(worker.Passes >= passes + 2, "the training worker made no passes");
        Assert.Equal(0, (await Json.ReadAsync(await client.GetAsync("/admin/training"))).GetArrayLength());

        await client.PostTrackAsync(await TestAudio.TrackAsync(1, 31));
        System.Text.Json.JsonElement jobs = default;
        for (var i = 0; i < 100 && (jobs = await Json.ReadAsync(await client.GetAsync("/admin/training"))).GetArrayLength() == 0; i++) await Task.Delay(100);
        var job = Assert.Single(jobs.EnumerateArray());
        Assert.Equal("train", job.GetProperty("kind").GetString());
        await client.DeleteAsync($"/admin/training/{job.GetProperty("id").GetInt64()}");
        await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);
    }
}
