using System.Net;
using System.Net.Http.Json;
using ConvEmbed.Service.Tests.Map;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Training;

/// <summary>A library of three styles, retrained through the admin API with a budget of steps.</summary>
public sealed class RetrainingTests : IAsyncLifetime
{
    private static readonly int[] Styles = [1, 4, 6];
    private readonly ConvEmbedApiFactory factory = new(settings: AdminClient.Settings(MapLayoutWaits.FastMap));
    private readonly Dictionary<string, int> styleOf = [];
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient().WithKey();
        foreach (var style in Styles)
            for (var i = 0; i < 3; i++)
            {
                var response = await client.PostTrackAsync(await TestAudio.TrackAsync(style, 20 + i, seconds: 20), $"s{style}_{i}.wav");
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                styleOf[(await Json.ReadAsync(response)).GetProperty("id").GetString()!] = style;
            }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task TrainingMovesThroughItsStatesThenSearchesAnswerFromTheNewModel()
    {
        var bootstrap = (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64();
        // fp32 asked for explicitly: "auto" differs by machine, and bf16 on a CPU without it is emulated (≈ 2.5 min here
        // on an AVX2-only EPYC); bf16 training itself is tested in ConvEmbed.Model.Tests.
        var job = await client.StartTrainingAsync(new { steps = 60, batch = 8, window = 300, seed = 1, precision = "fp32" });
        Assert.Equal("queued", job.GetProperty("state").GetString());

        var (done, states) = await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);

        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        var order = new[] { "queued", "running", "reembedding", "succeeded" };
        Assert.Equal(states, states.OrderBy(s => Array.IndexOf(order, s)));  // never backwards
        Assert.Contains("succeeded", states);
        var progress = done.GetProperty("progress");
        Assert.Equal(60, progress.GetProperty("step").GetInt32());
        Assert.True(progress.GetProperty("loss").GetArrayLength() > 0);
        Assert.True(progress.GetProperty("embeddingStd").GetArrayLength() > 0);
        Assert.True(progress.GetProperty("stepsPerSecond").GetDouble() > 0);
        Assert.Equal(9, progress.GetProperty("reembedded").GetInt64());
        Assert.StartsWith("fp32: requested", progress.GetProperty("precision").GetString());
        Assert.Equal("cpu", progress.GetProperty("device").GetString()); // ConvEmbed:Device = auto, and no CUDA here
        Assert.Equal("fp32", done.GetProperty("settings").GetProperty("precision").GetString());
        var modelId = done.GetProperty("modelId").GetInt64();

        var active = await Json.ReadAsync(await client.GetAsync("/models/active"));
        Assert.Equal(modelId, active.GetProperty("id").GetInt64());
        Assert.Equal("encoder", active.GetProperty("kind").GetString());
        Assert.Equal(1.0, active.GetProperty("coverage").GetDouble());
        // The map follows the switch: the new model's layout is computed in the background; the public status shows the job.
        await client.WaitForMapAsync(styleOf.Count, modelId);
        var status = (await Json.ReadAsync(await client.GetAsync("/training/current"))).GetProperty("job");
        Assert.Equal((job.GetProperty("id").GetInt64(), "succeeded"), (status.GetProperty("id").GetInt64(), status.GetProperty("state").GetString()));
        Assert.True(status.GetProperty("progress").GetProperty("loss").GetArrayLength() > 0);
        Assert.False(status.TryGetProperty("claimedBy", out _), "the public status must not name the worker");
        var sameStyleFirst = 0;
        foreach (var (id, style) in styleOf)
        {
            var similar = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/similar?k=3"));
            Assert.Equal(modelId, similar.GetProperty("modelId").GetInt64());
            Assert.Equal(3, similar.GetProperty("items").GetArrayLength());
            if (styleOf[similar.GetProperty("items")[0].GetProperty("id").GetString()!] == style) sameStyleFirst++;
        }
        Assert.True(sameStyleFirst >= 7, $"only {sameStyleFirst} of 9 tracks have a track of their own style first");
        var vector = await Json.ReadAsync(await client.GetAsync($"/tracks/{styleOf.Keys.First()}/embedding"));
        Assert.Equal((modelId, 256), (vector.GetProperty("modelId").GetInt64(), vector.GetProperty("dimension").GetInt32()));
        // The re-embedding gave every track its passages of the new model (12 of a 20-s track), indexed; passage search answers from it.
        Assert.Equal((9L, 9 * 12L), await PassagesAsync(modelId));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM pg_indexes WHERE indexname = 'passages_hnsw_m{modelId}' AND schemaname = current_schema()"));
        var passages = await Json.ReadAsync(await client.GetAsync($"/tracks/{styleOf.Keys.First()}/passages?start=3&end=9"));
        Assert.Equal(modelId, passages.GetProperty("modelId").GetInt64());
        Assert.NotEqual(0, passages.GetProperty("items").GetArrayLength());

        // The previous model keeps its vectors (KeepPreviousModels = 1), so switching back is immediate, and forth again.
        var models = (await Json.ReadAsync(await client.GetAsync("/admin/models"))).EnumerateArray().ToList();
        Assert.Equal(2, models.Count);
        Assert.All(models, m => Assert.Equal(1.0, m.GetProperty("coverage").GetDouble()));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/admin/models/{bootstrap}/activate", null)).StatusCode);
        Assert.Equal(bootstrap, (await Json.ReadAsync(await client.GetAsync($"/tracks/{styleOf.Keys.First()}/similar"))).GetProperty("modelId").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/admin/models/{modelId}/activate", null)).StatusCode);
        Assert.Equal(modelId, (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64());

        // An upload now is embedded with the trained model.
        var upload = await Json.ReadAsync(await client.PostTrackAsync(await TestAudio.TrackAsync(4, 40, seconds: 20)));
        Assert.Equal(modelId, upload.GetProperty("modelId").GetInt64());
        Assert.Equal(256, upload.GetProperty("embedding").GetArrayLength());

        // That track has no bootstrap vector: activating the bootstrap model now re-embeds first, as a job — and with the
        // feature cache emptied, the job decodes the stored originals again (and fills the cache back).
        EmptyFeatureCache();
        var activate = await client.PostAsync($"/admin/models/{bootstrap}/activate", null);
        Assert.Equal(HttpStatusCode.Accepted, activate.StatusCode);
        var reembed = await Json.ReadAsync(activate);
        Assert.Equal("reembed", reembed.GetProperty("kind").GetString());
        var (reembedded, _) = await client.WaitForJobAsync(reembed.GetProperty("id").GetInt64(), AdminClient.IsEnded);
        Assert.Equal("succeeded", reembedded.GetProperty("state").GetString());
        var nowActive = await Json.ReadAsync(await client.GetAsync("/models/active"));
        Assert.Equal((bootstrap, 10L, 1.0), (nowActive.GetProperty("id").GetInt64(), nowActive.GetProperty("vectors").GetInt64(), nowActive.GetProperty("coverage").GetDouble()));
        Assert.Single(CachedFeatures()); // only the track that needed a vector was decoded again
        Assert.Equal((10L, 10 * 12L), await PassagesAsync(bootstrap));
    }

    /// <summary>Tracks with passages of the model, and its passages.</summary>
    private async Task<(long Tracks, long Passages)> PassagesAsync(long model) =>
        (await ScalarAsync<long>($"SELECT count(DISTINCT track_id) FROM passages WHERE model_id = {model}"),
         await ScalarAsync<long>($"SELECT count(*) FROM passages WHERE model_id = {model}"));

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task TrainingAfterTheFeatureCacheWasLostDecodesTheOriginalsAgain()
    {
        EmptyFeatureCache();

        var job = await client.StartTrainingAsync(new { steps = 10, batch = 8, window = 300, precision = "fp32" });
        var (done, _) = await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);

        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        Assert.Equal(styleOf.Count, CachedFeatures().Length);
        var active = await Json.ReadAsync(await client.GetAsync("/models/active"));
        Assert.Equal(done.GetProperty("modelId").GetInt64(), active.GetProperty("id").GetInt64());
        Assert.Equal(styleOf.Count, active.GetProperty("vectors").GetInt64());
    }

    /// <summary>whiten: true stores a whitening with the model, and the vectors the service keeps are the ones the
    /// model library gives for that folder (the CLI's embed loads models the same way).</summary>
    [Fact]
    public async Task TrainingWithWhitenStoresTheWhiteningAndTheServiceWhitensEveryVector()
    {
        var job = await client.StartTrainingAsync(new { steps = 10, batch = 8, window = 300, precision = "fp32", whiten = true });
        var (done, _) = await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);

        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        Assert.True(done.GetProperty("settings").GetProperty("whiten").GetBoolean());
        var modelId = done.GetProperty("modelId").GetInt64();
        var folder = await ScalarAsync<string>($"SELECT folder FROM models WHERE id = {modelId}");
        Assert.True(File.Exists(Path.Combine(folder, ConvEmbed.Model.Checkpoints.ModelFolder.WhiteningFile)));
        var listed = (await Json.ReadAsync(await client.GetAsync("/admin/models"))).EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == modelId);
        Assert.True(listed.GetProperty("whitened").GetBoolean());

        using var model = ConvEmbed.Model.Embeddings.EncoderModel.Load(folder);
        Assert.NotNull(model.Whitening);
        var cache = new ConvEmbed.Audio.Cache.FeatureCache(factory.FeatureDirectory);
        foreach (var id in styleOf.Keys.Take(3))
        {
            var stored = (await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/embedding")));
            Assert.Equal(modelId, stored.GetProperty("modelId").GetInt64());
            using var mel = cache.Open(await ScalarAsync<string>($"SELECT sha256 FROM tracks WHERE id = '{id}'"));
            var expected = model.Embed(mel.ReadAll());
            var got = stored.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(expected.Length, got.Length);
            for (var i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 5);
        }
    }

    private string[] CachedFeatures() => Directory.GetFiles(factory.FeatureDirectory, "*.mel");

    private void EmptyFeatureCache()
    {
        foreach (var file in CachedFeatures()) File.Delete(file);
    }

    [Fact]
    public async Task ASecondJobWhileOneIsOpenIs409AndBadRequestsAre400()
    {
        var job = await client.StartTrainingAsync(new { minutes = 5 });
        var second = await client.PostAsJsonAsync("/admin/training", new { steps = 5 });
        var title = await Problems.AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains("already queued or running", title);
        Assert.Contains($"Job {job.GetProperty("id").GetInt64()}", (await Json.ReadAsync(second)).GetProperty("detail").GetString());

        foreach (var bad in new object[] { new { minutes = -1 }, new { objective = "simclr" }, new { encoder = "rf9" }, new { minutes = 1, steps = 5 }, new { batch = 1 }, new { precision = "fp8" } })
            await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/admin/training", bad), HttpStatusCode.BadRequest);
        // A value of the wrong type, and a body that is not JSON: problem details that say where, nothing queued.
        var wrongType = await client.PostAsync("/admin/training", new StringContent("{\"whiten\":\"yes\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("not the JSON", await Problems.AssertProblemAsync(wrongType, HttpStatusCode.BadRequest));
        Assert.Contains("$.whiten", (await Json.ReadAsync(wrongType)).GetProperty("detail").GetString());
        var broken = await client.PostAsync("/admin/training", new StringContent("{\"steps\":", System.Text.Encoding.UTF8, "application/json"));
        await Problems.AssertProblemAsync(broken, HttpStatusCode.BadRequest);
        var fp16 = await client.PostAsJsonAsync("/admin/training", new { precision = "fp16" }); // this service computes on the CPU
        await Problems.AssertProblemAsync(fp16, HttpStatusCode.BadRequest);
        Assert.Contains("fp16 runs on a CUDA device only (CPU autocast computes in bf16): use auto, fp32 or bf16 on a CPU (this service computes on cpu: ConvEmbed:Device)", (await Json.ReadAsync(fp16)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/admin/training/{job.GetProperty("id").GetInt64()}")).StatusCode);
        await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);
    }

    [Fact]
    public async Task CancellingARunningJobLeavesTheOldModelActiveAndNothingHalfMade()
    {
        var bootstrap = (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64();
        var id = (await client.StartTrainingAsync(new { minutes = 5, batch = 8, window = 300 })).GetProperty("id").GetInt64();
        await client.WaitForJobAsync(id, j => j.GetProperty("progress").GetProperty("step").GetInt32() > 0 || AdminClient.IsEnded(j));

        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/admin/training/{id}")).StatusCode);
        var (job, _) = await client.WaitForJobAsync(id, AdminClient.IsEnded, TimeSpan.FromSeconds(60));

        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Equal(bootstrap, (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64());
        Assert.Single((await Json.ReadAsync(await client.GetAsync("/admin/models"))).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "models")));
        await Problems.AssertProblemAsync(await client.DeleteAsync($"/admin/training/{id}"), HttpStatusCode.Conflict);
    }
}
