using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Text.Json;
using ConvEmbed.Audio;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// `--passages N`: passage search at N tracks (docs/passages.md). The active model is an encoder of the service's
/// default preset and width (256-d; fresh weights: cost does not depend on them), so passages are what a trained
/// model stores. Measures:
/// <list type="bullet">
/// <item>ingest with passages on vs off (3-min mp3s over HTTP, after one warm-up round that is not counted, rounds in
/// alternating order — off, on, on, off, … — each into an empty library), and with passages on into the filled library;</item>
/// <item>storage per passage (heap, primary key, track index, HNSW) and the HNSW build time;</item>
/// <item><c>POST /search/passages</c> with 10-s clips cut from real (synthetic-music) mp3s, p50/p99 over HTTP;</item>
/// <item>recall@10 of <c>GET /tracks/{id}/passages</c> for 10-s stretches of stored tracks against an exact sequence search
/// over every passage (same scoring, every alignment of every track).</item>
/// </list>
/// Synthetic passages stand in for N real tracks: each track is a row of hop-long segments in sections of 20; each
/// section plays a "motif" (a sequence of 20 vectors) drawn from a pool holding about one motif per 5 sections of the
/// library, so a stretch recurs in a few other tracks at its own alignment (what passage search is for), over a track
/// colour (one of 200 cluster centres plus noise) and per-segment noise; passage j is the ℓ2-normalised sum of
/// segments j and j + 1 (neighbouring passages share half their audio, as 3-s passages every 1.5 s do), <c>perTrack</c>
/// of them (160 ≈ a 4-min track). Recall
/// counts a returned stretch as right when its score reaches the exact 10th best's (less 0.001): tracks of one cluster
/// tie closely, and a tie broken the other way is not a miss (ann-benchmarks counts recall the same way).
/// </summary>
internal sealed class PassageBenchmark(string databaseConnectionString)
{
    public sealed record Ingest(string Mode, int Tracks, double Seconds, double TracksPerMinute, double P50Ms, double P99Ms);

    public sealed record Result(int Tracks, long Passages, int Dimension, double FillSeconds, double HeapBytesPerPassage, double KeyBytesPerPassage,
        double HnswBytesPerPassage, double HnswBuildSeconds, int ClipQueries, double ClipP50Ms, double ClipP99Ms, int StretchQueries, double StretchP50Ms,
        double StretchP99Ms, double RecallAt10, int RecallQueries, IReadOnlyList<Ingest> Ingests);

    private const int Centres = 200, SectionPassages = 20;
    private readonly Random random = new(5);

    /// <summary>Ingest rounds, then the filled library's storage, index build and searches.</summary>
    /// <param name="tracks">Synthetic tracks in the filled library.</param>
    /// <param name="perTrack">Passages per synthetic track.</param>
    /// <param name="ingestRounds">Off/on ingest pairs before the fill.</param>
    /// <param name="mp3s">Real audio for ingest and the clips.</param>
    /// <param name="mp3Seconds">Their length.</param>
    /// <param name="queries">Searches per kind and setting.</param>
    /// <param name="recallQueries">Stretches compared with exact search.</param>
    /// <param name="candidates">Settings of <c>ConvEmbed:Passages:Candidates</c> to measure, the first one's as the result.</param>
    public async Task<Result> RunAsync(int tracks, int perTrack, int ingestRounds, IReadOnlyList<byte[]> mp3s, double mp3Seconds, int queries, int recallQueries,
        IReadOnlyList<int> candidates)
    {
        var folder = Directory.CreateTempSubdirectory("convembed-bench-model-").FullName;
        try
        {
            var config = EncoderConfig.FromPreset(EncoderConfig.DefaultPreset);
            using (var encoder = new Encoder(config))
                ModelFolder.SaveModel(folder, encoder, ModelConfig.For(config, new NormalisationConfig(-4, 3), "bench", 600, null));

            // Ingest, passages off and on, alternating, each into an empty library.
            var ingests = new List<Ingest>();
            // A warm-up round first (the first host of the process pays for JIT and caches), then off/on pairs, alternating.
            var order = ingestRounds == 0 ? [] : new bool?[] { null }
                .Concat(Enumerable.Range(0, ingestRounds).SelectMany(r => r % 2 == 0 ? new bool?[] { false, true } : [true, false])).ToList();
            foreach (var mode in order)
            {
                var on = mode ?? true;
                await using var host = new BenchHost(databaseConnectionString, new() { ["ConvEmbed:Passages:Enabled"] = on ? "true" : "false" });
                host.StartServer();
                using var client = host.CreateClient();
                client.Timeout = TimeSpan.FromMinutes(10);
                await ActivateEncoderAsync(host.ConnectionString, folder, config.Channels, tracks: 0);
                var ingest = await IngestAsync(client, mp3s, mode is null ? "warm-up (not counted)" : on ? "passages on" : "passages off");
                Console.Error.WriteLine($"  ingest {ingest}");
                if (mode is not null) ingests.Add(ingest);
            }

            await using var big = new BenchHost(databaseConnectionString,
                new() { ["ConvEmbed:Passages:Candidates"] = candidates[0].ToString(System.Globalization.CultureInfo.InvariantCulture) });
            big.StartServer();
            using var http = big.CreateClient();
            http.Timeout = TimeSpan.FromMinutes(10);
            await using var dataSource = NewDataSource(big.ConnectionString);
            await using var connection = await dataSource.OpenConnectionAsync();
            var model = await ActivateEncoderAsync(big.ConnectionString, folder, config.Channels, tracks);
            await VectorBenchmark.DropIndexAsync(connection, PassageIndex.Name(model));
            Console.Error.WriteLine($"  filling {tracks} tracks × {perTrack} passages …");
            var fill = Stopwatch.GetTimestamp();
            var stored = await FillAsync(connection, model, tracks, perTrack, config.Channels);
            var fillSeconds = Stopwatch.GetElapsedTime(fill).TotalSeconds;
            await VectorBenchmark.Execute(connection, "VACUUM ANALYZE passages");
            var passages = (long)(await VectorBenchmark.Scalar(connection, "SELECT count(*) FROM passages"))!;
            var heap = (long)(await VectorBenchmark.Scalar(connection, "SELECT pg_table_size('passages')"))!;
            var keys = (long)(await VectorBenchmark.Scalar(connection, "SELECT pg_relation_size('passages_pkey') + pg_relation_size('passages_track')"))!;

            Console.Error.WriteLine($"  building the passage index over {passages} passages …");
            var build = Stopwatch.GetTimestamp();
            await VectorBenchmark.Execute(connection, "SET maintenance_work_mem = '2GB'");
            await PassageIndex.CreateAsync(connection, null, model, config.Channels, PassagePlan.Default, CancellationToken.None);
            var buildSeconds = Stopwatch.GetElapsedTime(build).TotalSeconds;
            var hnsw = (long)(await VectorBenchmark.Scalar(connection, $"SELECT pg_relation_size('{PassageIndex.Name(model)}')"))!;
            Console.Error.WriteLine($"  built in {buildSeconds:0} s");

            // The same clips and stretches, asked of a service for each candidate setting (each its own host on this
            // database); the first setting's numbers are the result, the others are printed beside it.
            var clips = await ClipsAsync(mp3s, mp3Seconds, Math.Min(queries, 50));
            var plan = PassagePlan.Default;
            var stretches = Enumerable.Range(0, queries).Select(_ => (Track: random.Next(stored.Ids.Length), First: random.Next(perTrack / SectionPassages) * SectionPassages + random.Next(SectionPassages - 4))).ToList();
            var recallCount = Math.Min(recallQueries, stretches.Count);
            var tenths = Enumerable.Range(0, recallCount)
                .Select(q => Exact(stored, stretches[q].Track, stored.Vectors[stretches[q].Track].Skip(stretches[q].First).Take(5).ToList())).ToList();
            (double ClipP50, double ClipP99, double StretchP50, double StretchP99, double Recall)? first = null;
            foreach (var setting in candidates)
            {
                await using var asked = setting == candidates[0] ? null : new BenchHost(databaseConnectionString,
                    new() { ["ConvEmbed:Passages:Candidates"] = setting.ToString(System.Globalization.CultureInfo.InvariantCulture) }, shareWith: big);
                asked?.StartServer();
                using var askedClient = asked?.CreateClient();
                var client = askedClient ?? http;
                client.Timeout = TimeSpan.FromMinutes(10);
                var label = $"candidates {setting}";

                // POST /search/passages with 10-s clips of real audio.
                for (var i = 0; i < Math.Min(10, clips.Count); i++) await PostClipAsync(client, clips[i], null); // warm-up
                var clipLatencies = new List<double>();
                var clipPhases = new Dictionary<string, List<double>>();
                // The service runs in this process, beside the benchmark's own exact copy of every passage: its collections
                // pause both, so the tail is printed with the pauses that fell into the loop.
                var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
                for (var i = 0; i < queries; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await PostClipAsync(client, clips[i % clips.Count], clipPhases);
                    clipLatencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                PrintPhases($"{label}: POST /search/passages", clipPhases, queries);
                PrintTail($"{label}: POST /search/passages", clipLatencies, clipPhases, GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before);

                // GET /tracks/{id}/passages for 10-s stretches of stored tracks, against exact search for the first recallQueries.
                var answers = new List<List<(Guid Track, double Similarity)>>();
                var stretchLatencies = new List<double>();
                var stretchPhases = new Dictionary<string, List<double>>();
                foreach (var (track, firstPassage) in stretches)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    answers.Add(await StretchAsync(client, stored.Ids[track], plan.StartSeconds(firstPassage), plan.StartSeconds(firstPassage + 4) + plan.LengthSeconds, stretchPhases));
                    stretchLatencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                PrintPhases($"{label}: GET /tracks/{{id}}/passages", stretchPhases, stretches.Count);
                var recall = Enumerable.Range(0, recallCount).Sum(q => Math.Min(10, answers[q].Count(a => a.Similarity >= tenths[q] - 1e-3)) / 10.0) / recallCount;
                var measured = (Percentiles.Of(clipLatencies, 50), Percentiles.Of(clipLatencies, 99), Percentiles.Of(stretchLatencies, 50),
                    Percentiles.Of(stretchLatencies, 99), recall);
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{label}: POST p50 {measured.Item1:0.0} / p99 {measured.Item2:0.0} ms; GET p50 {measured.Item3:0.0} / p99 {measured.Item4:0.0} ms; recall@10 {recall:0.000} ({recallCount} stretches)"));
                first ??= measured;
            }
            var (clipP50, clipP99, stretchP50, stretchP99, recallAt10) = first!.Value;

            if (ingestRounds > 0) ingests.Add(await IngestAsync(http, mp3s.Select(Reencode).ToList(), $"passages on, {passages} stored"));
            return new Result(tracks, passages, config.Channels, fillSeconds, heap / (double)passages, keys / (double)passages, hnsw / (double)passages,
                buildSeconds, queries, clipP50, clipP99, stretches.Count, stretchP50, stretchP99, recallAt10, recallCount, ingests);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The same audio with other bytes (an ID3 comment appended) so the filled library stores it as new tracks.</summary>
    private static byte[] Reencode(byte[] mp3) => [.. mp3, .. "TAGbench"u8.ToArray(), .. new byte[120]];

    private static async Task<Ingest> IngestAsync(HttpClient client, IReadOnlyList<byte[]> mp3s, string mode)
    {
        var result = await IngestBenchmark.RunAsync(client, mp3s, 2, 0);
        return new Ingest(mode, result.Tracks, result.Seconds, result.TracksPerMinute, result.P50Ms, result.P99Ms);
    }

    /// <summary>Registers the encoder folder as a model of the host's schema, with its indexes, and makes it active.</summary>
    private static async Task<long> ActivateEncoderAsync(string connectionString, string folder, int dimension, int tracks)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var register = new NpgsqlCommand("""
            INSERT INTO models (kind, name, dimension, settings, folder) VALUES ('encoder', 'bench passages', $1, '{}', $2) RETURNING id
            """, connection);
        register.Parameters.Add(new NpgsqlParameter { Value = dimension });
        register.Parameters.Add(new NpgsqlParameter { Value = folder });
        var id = (long)(await register.ExecuteScalarAsync())!;
        await VectorBenchmark.Execute(connection, $"""
            UPDATE models SET is_active = false WHERE is_active;
            UPDATE models SET is_active = true WHERE id = {id};
            """);
        await VectorIndex.CreateAsync(connection, null, id, dimension, CancellationToken.None);
        if (tracks == 0) await PassageIndex.CreateAsync(connection, null, id, dimension, PassagePlan.Default, CancellationToken.None);
        return id;
    }

    private sealed record Stored(Guid[] Ids, float[][][] Vectors);

    private async Task<Stored> FillAsync(NpgsqlConnection connection, long model, int tracks, int perTrack, int dimension)
    {
        var centres = Enumerable.Range(0, Centres).Select(_ => Gaussian(dimension, 0.5)).ToArray();
        var motifs = Enumerable.Range(0, Math.Max(20, tracks * (perTrack / SectionPassages) / 5)).Select(_ =>
        {
            var theme = Gaussian(dimension, 1.0);
            return Enumerable.Range(0, SectionPassages).Select(_ => theme.Zip(Gaussian(dimension, 0.6), (a, b) => a + b).ToArray()).ToArray();
        }).ToArray();
        var ids = new Guid[tracks];
        var vectors = new float[tracks][][];
        await using (var rows = await connection.BeginBinaryImportAsync(
                         "COPY tracks (id, sha256, title, tags, duration_seconds, content_type, size_bytes) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < tracks; i++)
            {
                ids[i] = Guid.CreateVersion7();
                await rows.StartRowAsync();
                await rows.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                await rows.WriteAsync(Convert.ToHexStringLower(ids[i].ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), NpgsqlDbType.Text);
                await rows.WriteAsync($"synthetic {i}", NpgsqlDbType.Text);
                await rows.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await rows.WriteAsync(PassagePlan.Default.StartSeconds(perTrack - 1) + PassagePlan.Default.LengthSeconds, NpgsqlDbType.Double);
                await rows.WriteAsync("audio/mpeg", NpgsqlDbType.Text);
                await rows.WriteAsync(0L, NpgsqlDbType.Bigint);
            }
            await rows.CompleteAsync();
        }
        var plan = PassagePlan.Default;
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY passages (model_id, track_id, seq, start_seconds, end_seconds, embedding) FROM STDIN (FORMAT BINARY)"))
        {
            for (var t = 0; t < tracks; t++)
            {
                var centre = centres[random.Next(Centres)].Zip(Gaussian(dimension, 0.25), (c, n) => c + n).ToArray();
                vectors[t] = new float[perTrack][];
                // Hop-long segments (1.5 s): passage j spans segments j and j + 1, as a 3-s passage every 1.5 s shares
                // half its audio with each neighbour.
                var segments = new float[perTrack + 1][];
                float[][] motif = [];
                for (var j = 0; j <= perTrack; j++)
                {
                    if (j % SectionPassages == 0) motif = motifs[random.Next(motifs.Length)];
                    var noise = Gaussian(dimension, 0.3);
                    segments[j] = new float[dimension];
                    for (var d = 0; d < dimension; d++) segments[j][d] = centre[d] + motif[j % SectionPassages][d] + noise[d];
                }
                for (var j = 0; j < perTrack; j++)
                {
                    var v = new float[dimension];
                    TensorPrimitives.Add(segments[j], segments[j + 1], v);
                    var half = PassageRows.Half(v.Select(x => x / TensorPrimitives.Norm(v)).ToArray());
                    vectors[t][j] = PassageRows.Single(half); // what the database holds
                    await copy.StartRowAsync();
                    await copy.WriteAsync(model, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(ids[t], NpgsqlDbType.Uuid);
                    await copy.WriteAsync(j, NpgsqlDbType.Integer);
                    await copy.WriteAsync((float)plan.StartSeconds(j), NpgsqlDbType.Real);
                    await copy.WriteAsync((float)(plan.StartSeconds(j) + plan.LengthSeconds), NpgsqlDbType.Real);
                    await copy.WriteAsync(half, "halfvec");
                }
            }
            await copy.CompleteAsync();
        }
        // Each track's vector too (the normalised mean of its passages, as a model's is of its positions): a track with
        // passages but no vector would be "missing" to the backfill, which would walk them all each minute beside the
        // timed searches.
        await using (var copy = await connection.BeginBinaryImportAsync("COPY embeddings (model_id, track_id, embedding) FROM STDIN (FORMAT BINARY)"))
        {
            for (var t = 0; t < tracks; t++)
            {
                var mean = new float[dimension];
                foreach (var v in vectors[t]) TensorPrimitives.Add(mean, v, mean);
                TensorPrimitives.Divide(mean, TensorPrimitives.Norm(mean), mean);
                await copy.StartRowAsync();
                await copy.WriteAsync(model, NpgsqlDbType.Bigint);
                await copy.WriteAsync(ids[t], NpgsqlDbType.Uuid);
                await copy.WriteAsync(new Vector(mean), "vector");
            }
            await copy.CompleteAsync();
        }
        return new Stored(ids, vectors);
    }

    /// <summary>The exact 10th best score of a stored stretch (one per track, its own left out): every alignment of
    /// every other track scored.</summary>
    private static double Exact(Stored stored, int self, IReadOnlyList<float[]> query)
    {
        var best = new double[stored.Ids.Length];
        Parallel.For(0, stored.Ids.Length, t =>
            best[t] = t == self ? double.NegativeInfinity : PassageSequence.AllOffsets(query, stored.Vectors[t]).Max(s => s.Score));
        return best.OrderDescending().ElementAt(9);
    }

    private static async Task<List<(Guid Track, double Similarity)>> StretchAsync(HttpClient client, Guid track, double start, double end,
        Dictionary<string, List<double>> phases)
    {
        using var response = await client.GetAsync(FormattableString.Invariant($"/tracks/{track}/passages?start={start}&end={end}&k=10"));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"passages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        AddPhases(response, phases);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("trackId").GetGuid(), i.GetProperty("similarity").GetDouble())).ToList();
    }

    /// <summary>The phases of the service's Server-Timing header, collected per name.</summary>
    private static void AddPhases(HttpResponseMessage response, Dictionary<string, List<double>>? phases)
    {
        if (phases is null || !response.Headers.TryGetValues("Server-Timing", out var values)) return;
        foreach (var phase in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)))
        {
            var parts = phase.Split(";dur=");
            if (parts.Length != 2) continue;
            if (!phases.TryGetValue(parts[0], out var list)) phases[parts[0]] = list = [];
            list.Add(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Per phase: in how many requests it ran, p50 and p99 of its time.</summary>
    /// <summary>The slowest requests with their phases (the i-th entry of each phase list is the i-th request's when every
    /// request reported every phase), and the garbage collector's pauses over the loop.</summary>
    private static void PrintTail(string label, List<double> latencies, Dictionary<string, List<double>> phases, TimeSpan paused, int gen2)
    {
        var complete = phases.Where(p => p.Value.Count == latencies.Count).ToList();
        var slowest = latencies.Select((ms, i) => (ms, i)).OrderByDescending(x => x.ms).Take(3).Select(x =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{x.ms:0} ms ({string.Join(", ", complete.Select(p => $"{p.Key} {p.Value[x.i]:0}"))}, outside the phases {x.ms - complete.Sum(p => p.Value[x.i]):0})"));
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{label}, slowest: {string.Join("; ", slowest)}; GC pauses over the loop {paused.TotalMilliseconds:0} ms in total, {gen2} gen-2 collections"));
    }

    private static void PrintPhases(string label, Dictionary<string, List<double>> phases, int requests) =>
        Console.WriteLine($"{label}, where the time went (Server-Timing, {requests} requests): " + string.Join("; ", phases.Select(p =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Key} in {p.Value.Count}, p50 {Percentiles.Of(p.Value, 50):0.0} ms, p99 {Percentiles.Of(p.Value, 99):0.0} ms"))));

    private static async Task PostClipAsync(HttpClient client, byte[] clip, Dictionary<string, List<double>>? phases)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(clip);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/mpeg");
        form.Add(file, "file", "clip.mp3");
        using var response = await client.PostAsync("/search/passages", form);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"search/passages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        AddPhases(response, phases);
    }

    /// <summary>10-s mp3 clips from random places of the given tracks (ffmpeg, not timed).</summary>
    private async Task<List<byte[]>> ClipsAsync(IReadOnlyList<byte[]> mp3s, double mp3Seconds, int count)
    {
        var dir = Directory.CreateTempSubdirectory("convembed-clips-").FullName;
        try
        {
            var clips = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                var input = Path.Combine(dir, "in.mp3");
                var output = Path.Combine(dir, $"clip{i}.mp3");
                await File.WriteAllBytesAsync(input, mp3s[i % mp3s.Count]);
                var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
                foreach (var a in new[] { "-v", "error", "-y", "-ss", (random.NextDouble() * (mp3Seconds - 11)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                             "-t", "10", "-i", input, "-c:a", "libmp3lame", "-b:a", "128k", output })
                    info.ArgumentList.Add(a);
                using var process = Process.Start(info)!;
                var errors = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg: {errors}");
                clips.Add(await File.ReadAllBytesAsync(output));
            }
            return clips;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static NpgsqlDataSource NewDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        return builder.Build();
    }

    private float[] Gaussian(int dimension, double scale) =>
        Enumerable.Range(0, dimension).Select(_ =>
            (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
}
