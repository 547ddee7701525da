using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Observability;

/// <summary>
/// Meters are process-wide: the exporter of one test host also counts what other hosts in this test process do, so
/// this class runs alone (after the parallel ones), where only its own uploads move the count.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly ConvEmbedApiFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task MetricsCountIngestedTracks()
    {
        var before = IngestedCount(await client.GetStringAsync("/metrics"));
        await client.PostTrackAsync(await TestAudio.TrackAsync(7, 0));
        await client.PostTrackAsync(await TestAudio.TrackAsync(7, 1));
        await client.PostTrackAsync(await TestAudio.TrackAsync(7, 0)); // a duplicate is not counted

        // The exporter may serve a scrape cached for a moment: wait for the count rather than for a fixed time.
        var metrics = await client.GetStringAsync("/metrics");
        for (var i = 0; i < 300 && IngestedCount(metrics) < before + 2; i++)
        {
            await Task.Delay(100);
            metrics = await client.GetStringAsync("/metrics");
        }
        Assert.Equal(before + 2, IngestedCount(metrics));
        Assert.Contains("convembed_decode_duration", metrics);
        Assert.Contains("http_server_request_duration", metrics);
    }

    /// <summary>The value of the tracks-ingested counter in a Prometheus scrape (0 before the first upload).</summary>
    private static long IngestedCount(string metrics) =>
        System.Text.RegularExpressions.Regex.Match(metrics, @"^convembed_tracks_ingested\w*(\{[^}]*\})? (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            is { Success: true } m ? long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
}
