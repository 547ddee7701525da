using System.Text.Json;

namespace ConvEmbed.Service.Tests.Health;

public sealed class SwaggerTests
{
    [Fact]
    public async Task EveryEndpointIsDocumentedWithSummaryDescriptionAndProblemResponses()
    {
        await using var factory = new ConvEmbedApiFactory();
        using var client = factory.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/tracks", "/tracks/{id}", "/tracks/{id}/embedding", "/tracks/{id}/audio", "/tracks/{id}/similar", "/search" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{where} has no summary");
                Assert.True(operation.Value.TryGetProperty("description", out _), $"{where} has no description");
            }
        var upload = paths.GetProperty("/tracks").GetProperty("post");
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        foreach (var status in new[] { "200", "201", "400", "413", "422", "429" })
            Assert.True(upload.GetProperty("responses").TryGetProperty(status, out _), $"POST /tracks does not document {status}");
        Assert.Contains("\"example\"", doc.RootElement.GetProperty("components").GetRawText());
        // Examples written in the records' XML docs become examples, not text in the descriptions.
        Assert.DoesNotContain("<example>", doc.RootElement.GetRawText());
        var training = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("TrainingRequest").GetProperty("properties");
        Assert.Equal(10, training.GetProperty("minutes").GetProperty("example").GetDouble());
        Assert.Equal("auto", training.GetProperty("precision").GetProperty("example").GetString());
        Assert.Equal("Wall-clock training budget (default 10). Give this or Steps.", training.GetProperty("minutes").GetProperty("description").GetString());
        // A description written over several lines reads as one.
        Assert.StartsWith("Fit a PCA whitening on the window vectors of the library's tracks (at most 2000) when training ends, store",
            training.GetProperty("whiten").GetProperty("description").GetString());
        var descriptions = doc.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(schema => schema.Value.TryGetProperty("properties", out _))
            .SelectMany(schema => schema.Value.GetProperty("properties").EnumerateObject())
            .Select(p => p.Value.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "").ToList();
        Assert.True(descriptions.Count > 100);
        Assert.DoesNotContain(descriptions, d => d.Contains('\n'));
    }
}
