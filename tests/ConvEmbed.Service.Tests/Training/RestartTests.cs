using System.Net;
using System.Text.Json;
using ConvEmbed.Service.Training;
using ConvEmbed.Service.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConvEmbed.Service.Tests.Training;

/// <summary>Several service instances on one database: job state lives in PostgreSQL, so restarts and second instances behave.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    // Owns the schema and is never started: the instances below come and go on it.
    private readonly ConvEmbedApiFactory owner = new(settings: AdminClient.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await owner.DisposeAsync();

    private ConvEmbedApiFactory Instance() => new(owner.ConnectionString, AdminClient.Settings());

    /// <summary>An instance that waits long for a silent job: on a loaded test machine a live worker's heartbeat (every
    /// second) was once seen to lag past the 3 s used elsewhere, and the job was failed as dead.</summary>
    private ConvEmbedApiFactory PatientInstance() =>
        new(owner.ConnectionString, AdminClient.Settings(new() { ["ConvEmbed:Training:HeartbeatTimeoutSeconds"] = "30" }));

    private static async Task UploadLibraryAsync(HttpClient client)
    {
        foreach (var style in new[] { 1, 4, 6 })
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.Created, (await client.PostTrackAsync(await TestAudio.TrackAsync(style, 50 + i, seconds: 12))).StatusCode);
    }

    [Fact]
    public async Task AJobOfAKilledInstanceIsFailedByAnotherAndTheOldModelKeepsAnswering()
    {
        await using var instance = Instance();
        using var client = instance.CreateClient().WithKey();
        await UploadLibraryAsync(client);
        var track = (await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=1"))).GetProperty("items")[0].GetProperty("id").GetString();
        var bootstrap = (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64();

        // What a killed instance leaves: a job in 'reembedding' with an old heartbeat, and a half-made model with some vectors.
        long job;
        await using (var connection = new NpgsqlConnection(owner.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                WITH m AS (INSERT INTO models (kind, name, dimension, settings, folder) VALUES ('encoder', 'half-made', 4, '{}', '/nonexistent') RETURNING id),
                     e AS (INSERT INTO embeddings (model_id, track_id, embedding) SELECT m.id, t.id, '[1,0,0,0]' FROM m, tracks t)
                INSERT INTO training_jobs (kind, state, settings, model_id, claimed_by, heartbeat, started_at)
                SELECT 'train', 'reembedding', '{}', m.id, 'killed-host:1:dead', now() - interval '1 hour', now() - interval '1 hour' FROM m
                RETURNING id
                """, connection);
            job = (long)(await command.ExecuteScalarAsync())!;
        }

        var (failed, _) = await client.WaitForJobAsync(job, AdminClient.IsEnded, TimeSpan.FromSeconds(30));
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.StartsWith("interrupted by a restart", failed.GetProperty("error").GetString());
        // The worker removes the half-made model right after failing its job (two statements): give it a moment.
        var models = 0;
        for (var attempt = 0; attempt < 300 && (models = (await Json.ReadAsync(await client.GetAsync("/admin/models"))).GetArrayLength()) != 1; attempt++)
            await Task.Delay(100);
        Assert.Equal(1, models); // the half-made model is gone
        var similar = await client.GetAsync($"/tracks/{track}/similar");
        Assert.Equal(HttpStatusCode.OK, similar.StatusCode);
        Assert.Equal(bootstrap, (await Json.ReadAsync(similar)).GetProperty("modelId").GetInt64());
    }

    [Fact]
    public async Task StoppingTheServiceDuringTrainingFailsTheJobAndANewInstanceServesTheOldModel()
    {
        long job, bootstrap;
        string track;
        await using (var first = Instance())
        {
            using var client = first.CreateClient().WithKey();
            await UploadLibraryAsync(client);
            track = (await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=1"))).GetProperty("items")[0].GetProperty("id").GetString()!;
            bootstrap = (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64();
            job = (await client.StartTrainingAsync(new { minutes = 5, batch = 8, window = 300 })).GetProperty("id").GetInt64();
            await client.WaitForJobAsync(job, j => j.GetProperty("progress").GetProperty("step").GetInt32() > 0);
        } // the host stops in the middle of the training

        await using var second = Instance();
        using var next = second.CreateClient().WithKey();
        var similar = await next.GetAsync($"/tracks/{track}/similar");
        Assert.Equal(HttpStatusCode.OK, similar.StatusCode);
        Assert.Equal(bootstrap, (await Json.ReadAsync(similar)).GetProperty("modelId").GetInt64());
        var stopped = await next.JobAsync(job);
        Assert.Equal("failed", stopped.GetProperty("state").GetString());
        Assert.StartsWith("interrupted by a restart", stopped.GetProperty("error").GetString());
        Assert.Single((await Json.ReadAsync(await next.GetAsync("/admin/models"))).EnumerateArray());
    }

    [Fact]
    public async Task ASecondInstanceDoesNotTakeAJobTheFirstHolds()
    {
        await using var first = PatientInstance();
        using var client = first.CreateClient().WithKey();
        await UploadLibraryAsync(client);
        var job = (await client.StartTrainingAsync(new { steps = 40, batch = 8, window = 300 })).GetProperty("id").GetInt64();
        await client.WaitForJobAsync(job, j => j.GetProperty("state").GetString() != "queued");
        var holder = first.Services.GetRequiredService<TrainingWorker>().Name;

        await using var second = PatientInstance();
        using var other = second.CreateClient().WithKey();
        Assert.NotEqual(holder, second.Services.GetRequiredService<TrainingWorker>().Name);
        var (done, _) = await other.WaitForJobAsync(job, AdminClient.IsEnded);

        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        Assert.Equal(holder, done.GetProperty("claimedBy").GetString());
        Assert.Equal(done.GetProperty("modelId").GetInt64(), (await Json.ReadAsync(await other.GetAsync("/models/active"))).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ARestartedInstanceFailsTheJobItsEarlierProcessLeftRunningAtOnce()
    {
        // A patient timeout: only the instance's own name can end this job within the test.
        var settings = AdminClient.Settings(new()
        {
            ["ConvEmbed:InstanceName"] = "restarted-host",
            ["ConvEmbed:Training:HeartbeatTimeoutSeconds"] = "300",
        });
        // An instance without a worker shows the job as a killed process of this instance left it: still "running",
        // its heartbeat only two seconds old. (Stopping one hosted service of a running host stops the whole host.)
        long job;
        await using (var before = new ConvEmbedApiFactory(owner.ConnectionString, new(settings) { ["ConvEmbed:Training:WorkerEnabled"] = "false" }))
        {
            using var client = before.CreateClient().WithKey();
            job = await InsertRunningJobAsync("restarted-host:4242:0dead000", TimeSpan.FromSeconds(2));
            Assert.Equal("running", (await client.JobAsync(job)).GetProperty("state").GetString());
        }

        await using var restarted = new ConvEmbedApiFactory(owner.ConnectionString, settings);
        using var next = restarted.CreateClient().WithKey();
        var (failed, _) = await next.WaitForJobAsync(job, AdminClient.IsEnded, TimeSpan.FromSeconds(20));

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.StartsWith("interrupted by a restart", failed.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ARunningJobWithoutARecentHeartbeatSaysItIsStaleBeforeTheTimeout()
    {
        await using var instance = new ConvEmbedApiFactory(owner.ConnectionString,
            AdminClient.Settings(new() { ["ConvEmbed:Training:HeartbeatTimeoutSeconds"] = "300" }));
        using var client = instance.CreateClient().WithKey();
        var job = await InsertRunningJobAsync("some-other-host:1:5ca1ab1e", TimeSpan.FromSeconds(40));

        var stale = await client.JobAsync(job);

        Assert.Equal("running", stale.GetProperty("state").GetString());
        Assert.Matches(@"^stale: no heartbeat for (4\d) s", stale.GetProperty("stale").GetString());
        var current = (await Json.ReadAsync(await client.GetAsync("/training/current"))).GetProperty("job");
        Assert.True(current.GetProperty("open").GetBoolean());
        Assert.StartsWith("stale:", current.GetProperty("stale").GetString());
        Assert.Equal(JsonValueKind.Null, (await client.JobAsync(await FinishAsync(job))).GetProperty("stale").ValueKind);
    }

    private async Task<long> InsertRunningJobAsync(string claimedBy, TimeSpan heartbeatAge)
    {
        await using var connection = new NpgsqlConnection(owner.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO training_jobs (kind, state, settings, claimed_by, heartbeat, started_at)
            VALUES ('train', 'running', '{}', $1, now() - make_interval(secs => $2), now() - interval '1 minute') RETURNING id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = claimedBy });
        command.Parameters.Add(new NpgsqlParameter { Value = heartbeatAge.TotalSeconds });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> FinishAsync(long job)
    {
        await using var connection = new NpgsqlConnection(owner.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"UPDATE training_jobs SET state = 'cancelled', finished_at = now() WHERE id = {job}", connection);
        await command.ExecuteNonQueryAsync();
        return job;
    }
}
