using System.Globalization;
using System.Text.Json;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// bench service: ingest throughput and latency of 3-minute mp3s, similar-track latency and HNSW recall@10, radio and
/// sonic-path latency, and the map, at growing library sizes. Prints a table and writes JSON; it never passes or fails on a time.
/// </summary>
internal static class ServiceBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: ConvEmbed.Service.Bench [--json FILE] [--tracks 40] [--track-seconds 180] [--concurrency 4] " +
                                    "[--sizes 10000,100000] [--queries 500] [--recall-queries 200] [--playlist-queries 100] [--tsne-max 10000] [--no-map] [--index-study 100,200,400] [--index-kinds vector,halfvec] [--index-build 'm = 16, ef_construction = 128'] [--reembed] [--passages 10000] [--passages-per-track 160] [--passages-ingest-rounds 2] [--passage-candidates 200,400] [--chromium PATH] " +
                                    "[--quality FOLDER [--quality-minutes 10]] [--database CONNECTION_STRING]");
            return 2;
        }
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        Console.Error.WriteLine($"bench service: {cpu}, {Environment.ProcessorCount} cores");
        if (options.Quality is { } folder) return await QualityAsync(options, folder, cpu);

        // Passages off in this host: its synthetic tracks have vectors but no audio, so the passage backfill would walk
        // every one of them each minute looking for audio to cut passages from, beside the searches being timed
        // (the passage benchmark has its own hosts; the re-embedding benchmark writes passages itself).
        await using var host = new BenchHost(options.Database, new() { ["ConvEmbed:Passages:Enabled"] = "false" });
        host.StartServer();
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(10);
        Console.Error.WriteLine($"service on {client.BaseAddress}, schema {host.Schema}");

        Console.Error.WriteLine($"making {options.Tracks} synthetic mp3s of {options.TrackSeconds} s (not timed) …");
        var files = await IngestBenchmark.MakeTracksAsync(options.Tracks, options.TrackSeconds);
        Console.Error.WriteLine($"uploading them, {options.Concurrency} at a time …");
        var ingest = await IngestBenchmark.RunAsync(client, files, options.Concurrency, options.TrackSeconds);

        var vectors = new VectorBenchmark(host.ConnectionString, client);
        var searches = new List<VectorBenchmark.Result>();
        var maps = new List<MapBenchmark.Result>();
        var playlists = new List<PlaylistBenchmark.Result>();
        var studies = new List<(int Size, IReadOnlyList<IndexStudy.Row> Rows)>();
        using var playwright = options.Map ? await Microsoft.Playwright.Playwright.CreateAsync() : null;
        await using var browser = playwright is null ? null : await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = options.Chromium, Headless = true, Args = ["--no-sandbox"],
        });
        foreach (var size in options.Sizes)
        {
            Console.Error.WriteLine($"similar at {size} vectors: filling, building the HNSW index, {options.Queries} queries …");
            searches.Add(await vectors.RunAsync(size, options.Queries, options.RecallQueries));
            if (options.IndexStudy is { } efs)
                studies.Add((size, await new IndexStudy(host.ConnectionString, options.IndexKinds, options.IndexBuild).RunAsync(efs, options.RecallQueries, searches[^1].IndexBuildSeconds)));
            if (options.PlaylistQueries > 0)
            {
                Console.Error.WriteLine($"radio and sonic path at {size} tracks: {options.PlaylistQueries} of each …");
                playlists.Add(await new PlaylistBenchmark(host.ConnectionString, client).RunAsync(size, options.PlaylistQueries));
            }
            if (browser is null) continue;
            Console.Error.WriteLine($"map at {size} tracks: layout ({(size <= options.TsneMax ? "t-SNE" : "stand-in")}), /map/points, first render in Chromium …");
            maps.Add(await new MapBenchmark(host, client, browser).RunAsync(size, options.TsneMax));
            Console.Error.WriteLine($"  {maps[^1]}");
        }

        PassageBenchmark.Result? passages = null;
        if (options.Passages > 0)
        {
            Console.Error.WriteLine($"passages at {options.Passages} tracks × {options.PassagesPerTrack}: ingest on/off, fill, index, {options.Queries} searches …");
            passages = await new PassageBenchmark(options.Database).RunAsync(options.Passages, options.PassagesPerTrack, options.PassagesIngestRounds, files, options.TrackSeconds, options.Queries, options.RecallQueries, options.PassageCandidates);
        }

        ReembedBenchmark.Result? reembed = null;
        if (options.Reembed)
        {
            Console.Error.WriteLine("re-embedding every track with a fresh encoder of the default preset …");
            reembed = await new ReembedBenchmark(host).RunAsync();
        }

        Console.WriteLine($"Service benchmark — {cpu}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| ingest | tracks | track length | concurrency | seconds | tracks/min | upload→embedding p50 | p99 |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| mp3 | {ingest.Tracks} | {ingest.TrackSeconds:0} s | {ingest.Concurrency} | {ingest.Seconds:0.0} | {ingest.TracksPerMinute:0} | {ingest.P50Ms:0} ms | {ingest.P99Ms:0} ms |"));
        Console.WriteLine();
        Console.WriteLine("| vectors (80-d) | HNSW build | queries | similar p50 | p99 | recall@10 vs exact |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var s in searches)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Vectors} | {s.IndexBuildSeconds:0.0} s | {s.Queries} | {s.P50Ms:0.00} ms | {s.P99Ms:0.00} ms | {s.RecallAt10:0.000} ({s.RecallQueries} queries) |"));

        if (reembed is { } re)
        {
            Console.WriteLine();
            Console.WriteLine("| re-embedding: tracks | each | seconds | tracks/min | per 10 000 tracks | peak RSS | RSS at each tenth |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {re.Tracks} | {re.TrackSeconds:0} s of log-mel | {re.Seconds:0} | {re.TracksPerMinute:0} | {10_000 / re.TracksPerMinute:0} min | {re.PeakMiB:0} MiB | {string.Join(", ", re.Rss.Select(x => $"{x.RssMiB:0}"))} MiB |"));
        }

        if (passages is { } pa)
        {
            Console.WriteLine();
            Console.WriteLine("| passages: tracks | passages | storage per passage: heap / keys / HNSW | fill | HNSW build | POST /search/passages (10-s clip) p50 | p99 | GET stretch (10 s) p50 | p99 | recall@10 vs exact |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pa.Tracks} | {pa.Passages} ({pa.Dimension}-d halfvec) | {pa.HeapBytesPerPassage:0} / {pa.KeyBytesPerPassage:0} / {pa.HnswBytesPerPassage:0} B | {pa.FillSeconds:0} s | {pa.HnswBuildSeconds:0} s | {pa.ClipP50Ms:0.0} ms | {pa.ClipP99Ms:0.0} ms | {pa.StretchP50Ms:0.0} ms | {pa.StretchP99Ms:0.0} ms | {pa.RecallAt10:0.000} ({pa.RecallQueries} queries) |"));
            Console.WriteLine();
            Console.WriteLine("| ingest (encoder model) | tracks | seconds | tracks/min | p50 | p99 |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var i in pa.Ingests)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i.Mode} | {i.Tracks} | {i.Seconds:0.0} | {i.TracksPerMinute:0} | {i.P50Ms:0} ms | {i.P99Ms:0} ms |"));
            var on = pa.Ingests.Where(i => i.Mode == "passages on").Select(i => i.TracksPerMinute).DefaultIfEmpty(double.NaN).Average();
            var off = pa.Ingests.Where(i => i.Mode == "passages off").Select(i => i.TracksPerMinute).DefaultIfEmpty(double.NaN).Average();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ingest, mean of the rounds: passages on {on:0} tracks/min, off {off:0} tracks/min: {(1 - on / off) * 100:0.0} % slower with passages"));
        }

        foreach (var (size, rows) in studies)
        {
            Console.WriteLine();
            Console.WriteLine($"| index study at {size} vectors | build parameters | build | index size | ef_search | queries | p50 (SQL) | p99 (SQL) | recall@10 vs exact |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Index} | {r.Build} | {r.BuildSeconds:0} s | {r.IndexMiB:0} MiB | {r.EfSearch} | {r.Queries} | {r.P50Ms:0.00} ms | {r.P99Ms:0.00} ms | {r.RecallAt10:0.000} |"));
        }

        if (playlists.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| playlists: tracks | queries | POST /radio (30) p50 | p99 | GET path (10) p50 | p99 |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var p in playlists)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {p.Tracks} | {p.Queries} | {p.RadioP50Ms:0} ms | {p.RadioP99Ms:0} ms | {p.PathP50Ms:0} ms | {p.PathP99Ms:0} ms |"));
        }

        if (maps.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| map: tracks | layout | layout time | peak RSS during the layout | GET /map/points | size | brotli: time, size | first render in Chromium (after a change / unchanged) | recolour |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var m in maps)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {m.Tracks} | {m.Layout} | {m.LayoutSeconds:0.0} s | {(double.IsFinite(m.LayoutPeakMiB) ? $"{m.LayoutPeakMiB:0} MiB" : "-")} | {m.PointsMs:0} ms | {m.PointsBytes / 1e6:0.0} MB | {m.BrotliMs:0} ms, {m.BrotliBytes / 1e6:0.00} MB | {m.ColdRenderMs:0} / {m.FirstRenderMs:0} ms | {m.RecolourMs:0} ms |"));
        }

        if (options.Json is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { cpu, cores = Environment.ProcessorCount, ingest, similar = searches, playlists, map = maps, passages, indexStudy = studies.Select(st => new { size = st.Size, rows = st.Rows }), reembed },
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            Console.Error.WriteLine($"wrote {json}");
        }
        return 0;
    }

    /// <summary>The quality mode alone (<see cref="QualityBenchmark"/>): a labelled folder through the service, before and after a retraining.</summary>
    private static async Task<int> QualityAsync(BenchOptions options, string folder, string cpu)
    {
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"bench service: --quality {folder}: no such folder");
            return 2;
        }
        var q = await new QualityBenchmark(options.Database).RunAsync(folder, options.QualityMinutes, options.Concurrency);
        Console.WriteLine($"Service quality — {cpu}, {Environment.ProcessorCount} cores; {q.Tracks} tracks, {q.Labels} labels of {q.Folder} ({q.Refused} refused), uploaded in {q.UploadSeconds:0} s");
        Console.WriteLine();
        Console.WriteLine("| model | P@10 (same label among the 10 nearest) | first neighbour same label | P@10, stored vectors ranked exactly | … hubness-corrected |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| bootstrap ({q.Bootstrap.ModelId}) | {q.Bootstrap.PrecisionAt10:0.000} | {q.Bootstrap.FirstNeighbour:0.000} | {q.Bootstrap.ExactPrecisionAt10:0.000} | {q.Bootstrap.HubnessPrecisionAt10:0.000} |"));
        if (q.Retrained is { } r)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| retrained {q.TrainingMinutes:0.##} min ({r.ModelId}, {q.Steps} steps, job {q.JobSeconds:0} s) | {r.PrecisionAt10:0.000} | {r.FirstNeighbour:0.000} | {r.ExactPrecisionAt10:0.000} | {r.HubnessPrecisionAt10:0.000} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"retraining: P@10 {r.PrecisionAt10 - q.Bootstrap.PrecisionAt10:+0.000;-0.000}, first neighbour {r.FirstNeighbour - q.Bootstrap.FirstNeighbour:+0.000;-0.000}"));
        }
        if (options.Json is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { cpu, cores = Environment.ProcessorCount, quality = q },
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            Console.Error.WriteLine($"wrote {json}");
        }
        return 0;
    }
}
