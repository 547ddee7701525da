using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Evaluation;
using System.Numerics.Tensors;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ConvEmbed.Model.Data;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// bench service --quality FOLDER: the product's quality as a user meets it. Every audio file under FOLDER (one
/// subfolder per label) is uploaded with a neutral file name — the service never sees a label — then each track's 10
/// nearest (<c>GET /tracks/{id}/similar?k=10</c>) are scored by label: P@10 (the share of the same label among them)
/// and first-neighbour accuracy, with the bootstrap model; then a retraining of N minutes runs through the admin API
/// (<c>POST /admin/training</c>, watched until it succeeds) and the same is scored with the new model.
/// It prints and never passes or fails.
/// </summary>
internal sealed class QualityBenchmark(string database)
{
    /// <summary><c>PrecisionAt10</c> and <c>FirstNeighbour</c> from the service's <c>/similar</c>; <c>ExactPrecisionAt10</c>
    /// from the service's stored vectors ranked exactly by cosine, <c>HubnessPrecisionAt10</c> the same ranked by the
    /// hubness-corrected score (docs/method.md#hubness) — what a re-rank in the service would give.</summary>
    public sealed record Score(long ModelId, double PrecisionAt10, double FirstNeighbour, int Tracks, double ExactPrecisionAt10, double HubnessPrecisionAt10);
    public sealed record Result(string Folder, int Tracks, int Labels, int Refused, double UploadSeconds, Score Bootstrap, Score? Retrained,
        double TrainingMinutes, int? Steps, double? JobSeconds);

    public async Task<Result> RunAsync(string folder, double minutes, int concurrency)
    {
        var files = AudioFiles.Find(folder);
        if (files.Count == 0) throw new ArgumentException($"no audio files under {folder}");
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var host = new BenchHost(database, new() { ["ConvEmbed:Admin:ApiKey"] = apiKey });
        host.StartServer();
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(10);

        Console.Error.WriteLine($"quality: uploading {files.Count} files of {folder}, {concurrency} at a time (no labels, neutral names) …");
        var labels = new Dictionary<Guid, string>();
        var refused = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (path, ct) =>
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path, ct));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "track" + Path.GetExtension(path));
            using var response = await client.PostAsync("/tracks", form, ct);
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                Interlocked.Increment(ref refused);
                Console.Error.WriteLine($"  {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                return;
            }
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            var label = AudioFiles.LabelOf(folder, path);
            lock (labels)
                if (!labels.TryAdd(id, label)) // the same bytes under two folders are one track
                    Console.Error.WriteLine($"  {path}: the same audio as a file already uploaded (label {labels[id]}); counted once");
        });
        var uploadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var labelCount = labels.Values.Distinct().Count();
        Console.Error.WriteLine($"  {labels.Count} tracks, {labelCount} labels in {uploadSeconds:0} s ({refused} refused)");

        var bootstrap = await ScoreAsync(client, labels);
        Console.Error.WriteLine($"  bootstrap model {bootstrap.ModelId}: P@10 {bootstrap.PrecisionAt10:0.000}, first neighbour {bootstrap.FirstNeighbour:0.000}; exact P@10 {bootstrap.ExactPrecisionAt10:0.000}, hubness-corrected {bootstrap.HubnessPrecisionAt10:0.000}");
        if (minutes <= 0) return new Result(folder, labels.Count, labelCount, refused, uploadSeconds, bootstrap, null, 0, null, null);

        Console.Error.WriteLine($"quality: retraining for {minutes} min through POST /admin/training …");
        using var start = new HttpRequestMessage(HttpMethod.Post, "/admin/training") { Content = JsonContent.Create(new { minutes }) };
        start.Headers.Add("X-Api-Key", apiKey);
        using var accepted = await client.SendAsync(start);
        if (accepted.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"POST /admin/training answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        JsonElement job;
        var lastReport = Stopwatch.GetTimestamp();
        // Training, re-embedding and the index build: a generous deadline, so a job stuck in a state cannot hang the run.
        var deadline = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromMinutes(2 * minutes + 30).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"training job {jobId} did not end within {2 * minutes + 30:0} minutes");
            await Task.Delay(TimeSpan.FromSeconds(5));
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/admin/training/{jobId}");
            get.Headers.Add("X-Api-Key", apiKey);
            using var response = await client.SendAsync(get);
            job = await response.Content.ReadFromJsonAsync<JsonElement>();
            var state = job.GetProperty("state").GetString();
            if (state is "succeeded" or "failed" or "cancelled") break;
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromMinutes(1))
            {
                Console.Error.WriteLine($"  job {jobId}: {state}, step {(job.GetProperty("progress").TryGetProperty("step", out var step) ? step.ToString() : "-")}");
                lastReport = Stopwatch.GetTimestamp();
            }
        }
        if (job.GetProperty("state").GetString() != "succeeded")
            throw new InvalidOperationException($"training job {jobId} ended {job.GetProperty("state").GetString()}: " +
                                                (job.TryGetProperty("error", out var error) ? error.ToString() : "no reason given"));
        var steps = job.GetProperty("progress").TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : (int?)null;
        double? jobSeconds = job.TryGetProperty("startedAt", out var from) && job.TryGetProperty("finishedAt", out var to)
                             && from.ValueKind == JsonValueKind.String && to.ValueKind == JsonValueKind.String
            ? (to.GetDateTimeOffset() - from.GetDateTimeOffset()).TotalSeconds
            : null;

        var retrained = await ScoreAsync(client, labels);
        Console.Error.WriteLine($"  retrained model {retrained.ModelId}: P@10 {retrained.PrecisionAt10:0.000}, first neighbour {retrained.FirstNeighbour:0.000}; exact P@10 {retrained.ExactPrecisionAt10:0.000}, hubness-corrected {retrained.HubnessPrecisionAt10:0.000}");
        return new Result(folder, labels.Count, labelCount, refused, uploadSeconds, bootstrap, retrained, minutes, steps, jobSeconds);
    }

    /// <summary>P@10 and first-neighbour accuracy by label over every track, from the active model's neighbours.</summary>
    private static async Task<Score> ScoreAsync(HttpClient client, IReadOnlyDictionary<Guid, string> labels)
    {
        double precision = 0, first = 0;
        var models = new HashSet<long>();
        foreach (var (id, label) in labels)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>($"/tracks/{id}/similar?k=10");
            models.Add(answer.GetProperty("modelId").GetInt64());
            var items = answer.GetProperty("items").EnumerateArray().Select(i => labels.GetValueOrDefault(i.GetProperty("id").GetGuid())).ToList();
            precision += items.Count(l => l == label) / 10.0;
            if (items.Count > 0 && items[0] == label) first++;
        }
        if (models.Count != 1) throw new InvalidOperationException($"the neighbours came from {models.Count} models while scoring");

        // The same tracks' stored vectors, ranked exactly: by cosine, and by the hubness-corrected score.
        var ids = labels.Keys.ToList();
        var vectors = new List<float[]>();
        foreach (var id in ids)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>($"/tracks/{id}/embedding");
            vectors.Add(EmbeddingNormalisation.Normalise(answer.GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray()));
        }
        var r = HubnessCorrection.NeighbourhoodSimilarity(vectors);
        double PrecisionBy(Func<int, int, float> score) => ids.Select((id, i) =>
            Enumerable.Range(0, ids.Count).Where(j => j != i).OrderByDescending(j => score(i, j)).Take(10).Count(j => labels[ids[j]] == labels[id]) / 10.0).Average();
        var exact = PrecisionBy((i, j) => TensorPrimitives.Dot<float>(vectors[i], vectors[j]));
        var hub = PrecisionBy((i, j) => HubnessCorrection.Corrected(TensorPrimitives.Dot<float>(vectors[i], vectors[j]), r[i], r[j]));
        return new Score(models.Single(), precision / labels.Count, first / labels.Count, labels.Count, exact, hub);
    }
}
