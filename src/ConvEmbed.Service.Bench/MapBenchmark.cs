using System.Diagnostics;
using ConvEmbed.Service.Map;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// The library map at a given library size (the vectors <see cref="VectorBenchmark"/> filled): the layout computed
/// by the service's own worker (t-SNE over every vector) up to <c>tsneMax</c> tracks, above that a stand-in layout
/// (each track at a random spot) so the page can still be measured; then GET /map/points (time, bytes) and the page in
/// Debian's Chromium: time from navigation to the first drawn map (performance mark "convembed-map-ready"; once right
/// after a change, then the median of three with the map unchanged) and one full recolouring. Prints, never fails on a time.
/// </summary>
internal sealed class MapBenchmark(BenchHost host, HttpClient client, IBrowser browser)
{
    public sealed record Result(int Tracks, string Layout, double LayoutSeconds, double PointsMs, long PointsBytes, double FirstRenderMs, double RecolourMs,
        double BrotliMs = 0, long BrotliBytes = 0, double LayoutPeakMiB = double.NaN, double ColdRenderMs = double.NaN);

    public async Task<Result> RunAsync(int size, int tsneMax)
    {
        string layout;
        var started = Stopwatch.GetTimestamp();
        var peakMiB = double.NaN;
        if (size <= tsneMax)
        {
            // A fresh layout of every vector (the previous size's map would otherwise only be extended by placement).
            await ForgetLayoutAsync();
            var resetPeak = PeakMemory.Reset();
            await host.Services.GetRequiredService<MapWorker>().RefreshAsync(CancellationToken.None);
            if (resetPeak) peakMiB = PeakMemory.PeakMiB();
            layout = "t-SNE (service worker)";
        }
        else
        {
            await RandomLayoutAsync();
            layout = "random stand-in";
        }
        var layoutSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var fetch = Stopwatch.GetTimestamp();
        var bytes = (await client.GetByteArrayAsync("/map/points")).LongLength;
        var pointsMs = Stopwatch.GetElapsedTime(fetch).TotalMilliseconds;
        // What a browser receives: the same answer brotli-compressed (the client does not decompress: bytes on the wire).
        fetch = Stopwatch.GetTimestamp();
        using var compressedRequest = new HttpRequestMessage(HttpMethod.Get, "/map/points");
        compressedRequest.Headers.AcceptEncoding.ParseAdd("br");
        using var compressed = await client.SendAsync(compressedRequest);
        var brotliBytes = (await compressed.Content.ReadAsByteArrayAsync()).LongLength;
        var brotliMs = Stopwatch.GetElapsedTime(fetch).TotalMilliseconds;

        // The page twice: right after the map changed (the service must query and serialise every point again), then
        // unchanged (the service's kept answer).
        await BumpMapVersionAsync();
        var (coldRender, _) = await RenderAsync(size, "after a change");
        // Unchanged three times (Chromium, the service and PostgreSQL share the cores: one render is a noisy number); the median.
        var renders = new List<(double FirstRenderMs, double RecolourMs)>();
        for (var r = 1; r <= 3; r++) renders.Add(await RenderAsync(size, $"unchanged, {r} of 3"));
        var (firstRender, recolour) = renders.OrderBy(x => x.FirstRenderMs).ElementAt(1);
        for (var i = 0; i < 3; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var binary = new HttpRequestMessage(HttpMethod.Get, "/map/points?format=binary");
            binary.Headers.AcceptEncoding.ParseAdd("br");
            using var answer = await client.SendAsync(binary);
            var length = (await answer.Content.ReadAsByteArrayAsync()).Length;
            Console.Error.WriteLine($"  GET /map/points?format=binary (br), unchanged: {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:0} ms, {length} bytes");
        }
        return new Result(size, layout, layoutSeconds, pointsMs, bytes, firstRender, recolour, brotliMs, brotliBytes, peakMiB, coldRender);
    }

    /// <summary>Opens the page, waits for the drawn map; returns the time to it and one full recolouring.</summary>
    private async Task<(double FirstRenderMs, double RecolourMs)> RenderAsync(int size, string label)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        try
        {
            await page.GotoAsync($"{client.BaseAddress}map");
            await page.WaitForFunctionAsync("n => window.convembedMap && window.convembedMap.ready && document.querySelector('#map').dataset.points == n",
                size.ToString(System.Globalization.CultureInfo.InvariantCulture), new PageWaitForFunctionOptions { Timeout = 300_000 });
            var firstRender = await page.EvaluateAsync<double>("() => performance.getEntriesByName('convembed-map-ready')[0].startTime");
            // Where the first render's time goes: page and modules, request to parsed answer, points objects and the
            // plot's index, drawing, the rest (search, colours, status).
            var marks = await page.EvaluateAsync<double[]>(
                "() => ['convembed-map-requested', 'convembed-map-received', 'convembed-map-indexed', 'convembed-map-drawn'].map(n => (performance.getEntriesByName(n)[0] || { startTime: NaN }).startTime)");
            var request = await page.EvaluateAsync<double[]>(
                "() => { const e = performance.getEntriesByType('resource').find(r => r.name.split('?')[0].endsWith('/map/points')); return e ? [e.requestStart, e.responseStart, e.responseEnd, e.transferSize, e.decodedBodySize] : [NaN, NaN, NaN, NaN, NaN]; }");
            Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  first render at {size} ({label}): {firstRender:0} ms = page {marks[0]:0} ms, /map/points answered and parsed +{marks[1] - marks[0]:0} ms (waiting for the answer {request[1] - request[0]:0} ms, receiving {request[2] - request[1]:0} ms, {request[3] / 1e6:0.00} MB on the wire for {request[4] / 1e6:0.0} MB, parsing {marks[1] - request[2]:0} ms), points and index +{marks[2] - marks[1]:0} ms, drawn +{marks[3] - marks[2]:0} ms, ready +{firstRender - marks[3]:0} ms"));
            var recolour = await page.EvaluateAsync<double>("() => { const t = performance.now(); window.convembedMap.colorBy('tag'); return performance.now() - t; }");
            return (firstRender, recolour);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private Task BumpMapVersionAsync() => ExecuteAsync("UPDATE map_version SET version = version + 1");

    private Task ForgetLayoutAsync() => ExecuteAsync("""
            DELETE FROM map_points WHERE model_id = (SELECT id FROM models WHERE is_active);
            DELETE FROM map_layouts WHERE model_id = (SELECT id FROM models WHERE is_active);
            """);

    private Task RandomLayoutAsync() => ExecuteAsync("""
            DELETE FROM map_points WHERE model_id = (SELECT id FROM models WHERE is_active);
            INSERT INTO map_points (model_id, track_id, x, y)
            SELECT e.model_id, e.track_id, random() * 200 - 100, random() * 200 - 100 FROM embeddings e WHERE e.model_id = (SELECT id FROM models WHERE is_active);
            INSERT INTO map_layouts (model_id, state, placed, computed_at)
            SELECT id, 'ready', (SELECT count(*) FROM map_points p WHERE p.model_id = m.id), now() FROM models m WHERE is_active
            ON CONFLICT (model_id) DO UPDATE SET state = 'ready', placed = excluded.placed, computed_at = now();
            """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await VectorBenchmark.Execute(connection, sql);
    }
}
