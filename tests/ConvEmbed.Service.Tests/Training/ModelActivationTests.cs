using System.Net;
using ConvEmbed.Service.Tests.Support;
using Npgsql;

namespace ConvEmbed.Service.Tests.Training;

public sealed class ModelActivationTests
{
    /// <summary>
    /// One track of 20 001 lacks a vector of the model: its coverage reads 1.0 rounded to four decimals, but the switch
    /// is decided on the counts, so it goes through a re-embedding job (202) instead of embedding on the request thread
    /// while uploads wait.
    /// </summary>
    [Fact]
    public async Task AModelMissingOneVectorOfManyIsActivatedThroughAJobNotAtOnce()
    {
        await using var factory = new ConvEmbedApiFactory(settings: AdminClient.Settings());
        using var client = factory.CreateClient().WithKey();
        long second;
        await using (var connection = new NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var fill = new NpgsqlCommand("""
                INSERT INTO tracks (id, sha256, title, duration_seconds, content_type, size_bytes)
                SELECT gen_random_uuid(), lpad(to_hex(i), 64, '0'), 't' || i, 1, 'audio/wav', 1 FROM generate_series(1, 20001) i;
                INSERT INTO models (kind, name, dimension, settings, folder) VALUES ('encoder', 'a second model', 80, '{}', '/nonexistent');
                INSERT INTO embeddings (model_id, track_id, embedding)
                SELECT m.id, t.id, array_fill(0.1::real, ARRAY[80])::vector
                FROM models m, tracks t WHERE m.name = 'a second model' AND t.sha256 <> lpad(to_hex(1), 64, '0');
                SELECT id FROM models WHERE name = 'a second model';
                """, connection);
            second = (long)(await fill.ExecuteScalarAsync())!;
        }
        var listed = (await Json.ReadAsync(await client.GetAsync("/admin/models"))).EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == second);
        Assert.Equal((20000L, 20001L, 1.0), (listed.GetProperty("vectors").GetInt64(), listed.GetProperty("tracks").GetInt64(), listed.GetProperty("coverage").GetDouble()));
        var before = (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64();

        var response = await client.PostAsync($"/admin/models/{second}/activate", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Json.ReadAsync(response);
        Assert.Equal("reembed", job.GetProperty("kind").GetString());
        Assert.Equal(before, (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64());
        // The model has no folder to load (and the track no audio): the job fails and the old model stays active.
        var (ended, _) = await client.WaitForJobAsync(job.GetProperty("id").GetInt64(), AdminClient.IsEnded);
        Assert.Equal("failed", ended.GetProperty("state").GetString());
        Assert.Equal(before, (await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64());
    }
}
