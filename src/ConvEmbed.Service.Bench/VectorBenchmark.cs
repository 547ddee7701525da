using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Search;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// Similar-track queries at a given library size: the active (bootstrap, 80-d) model's table is filled with synthetic
/// vectors up to <c>size</c>, its HNSW index rebuilt, then <c>GET /tracks/{id}/similar?k=10</c> is timed over HTTP
/// and compared with exact search (a sequential scan) for recall@10.
/// Synthetic vectors: 200 random centres in 80-d, each vector a centre plus Gaussian noise of 0.6 of a centre's scale,
/// ℓ2-normalised — clustered like real embeddings rather than uniform (uniform random vectors are HNSW's worst case).
/// </summary>
internal sealed class VectorBenchmark(string connectionString, HttpClient client)
{
    public sealed record Result(int Vectors, double IndexBuildSeconds, int Queries, double P50Ms, double P99Ms, double RecallAt10, int RecallQueries);

    private const int Dimension = 80, Centres = 200;
    private readonly Random random = new(11);
    private float[][]? centres;

    public async Task<Result> RunAsync(int size, int queries, int recallQueries)
    {
        await using var dataSource = NewDataSource(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var model = (long)(await Scalar(connection, "SELECT id FROM models WHERE is_active"))!;
        var have = (long)(await Scalar(connection, $"SELECT count(*) FROM embeddings WHERE model_id = {model}"))!;
        await DropIndexAsync(connection, VectorIndex.Name(model));
        await InsertAsync(connection, model, size - (int)have);
        await Execute(connection, "ANALYZE tracks; ANALYZE embeddings");

        var build = Stopwatch.GetTimestamp();
        await Execute(connection, $"""
            SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 0;
            CREATE INDEX {VectorIndex.Name(model)} ON embeddings USING hnsw ((embedding::vector({Dimension})) vector_cosine_ops) WITH ({VectorIndex.BuildParameters}) WHERE model_id = {model};
            """);
        var buildSeconds = Stopwatch.GetElapsedTime(build).TotalSeconds;

        var ids = new List<Guid>();
        await using (var pick = new NpgsqlCommand($"SELECT track_id FROM embeddings WHERE model_id = {model} ORDER BY random() LIMIT {queries}", connection))
        await using (var reader = await pick.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));

        for (var i = 0; i < Math.Min(20, ids.Count); i++) await SimilarAsync(ids[i]); // warm-up: connections, plans, index pages
        var latencies = new List<double>();
        var answers = new Dictionary<Guid, List<Guid>>();
        foreach (var id in ids)
        {
            var t0 = Stopwatch.GetTimestamp();
            var found = await SimilarAsync(id);
            latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            answers[id] = found;
        }

        double recall = 0;
        var checkedIds = ids.Take(recallQueries).ToList();
        foreach (var id in checkedIds)
            recall += (await ExactAsync(connection, model, id)).Intersect(answers[id]).Count() / 10.0;
        return new Result(size, buildSeconds, ids.Count, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), recall / checkedIds.Count, checkedIds.Count);
    }

    private async Task<List<Guid>> SimilarAsync(Guid id)
    {
        using var response = await client.GetAsync($"/tracks/{id}/similar?k=10");
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"similar answered {(int)response.StatusCode}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<List<Guid>> ExactAsync(NpgsqlConnection connection, long model, Guid id)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await Execute(connection, "SET LOCAL enable_indexscan = off");
        await using var command = new NpgsqlCommand($"""
            SELECT track_id FROM embeddings WHERE model_id = {model} AND track_id <> $1
            ORDER BY embedding::vector({Dimension}) <=> (SELECT embedding::vector({Dimension}) FROM embeddings WHERE model_id = {model} AND track_id = $1)
            LIMIT 10
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var result = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) result.Add(reader.GetGuid(0));
        await tx.CommitAsync();
        return result;
    }

    private async Task InsertAsync(NpgsqlConnection connection, long model, int count)
    {
        if (count <= 0) return;
        centres ??= Enumerable.Range(0, Centres).Select(_ => Gaussian(1.0)).ToArray();
        var ids = new Guid[count];
        await using (var tracks = await connection.BeginBinaryImportAsync(
                         "COPY tracks (id, sha256, title, tags, duration_seconds, content_type, size_bytes) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                ids[i] = Guid.CreateVersion7();
                await tracks.StartRowAsync();
                await tracks.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                await tracks.WriteAsync(Convert.ToHexStringLower(ids[i].ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), NpgsqlDbType.Text);
                await tracks.WriteAsync($"synthetic {i}", NpgsqlDbType.Text);
                await tracks.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await tracks.WriteAsync(180.0, NpgsqlDbType.Double);
                await tracks.WriteAsync("audio/mpeg", NpgsqlDbType.Text);
                await tracks.WriteAsync(0L, NpgsqlDbType.Bigint);
            }
            await tracks.CompleteAsync();
        }
        await using (var vectors = await connection.BeginBinaryImportAsync("COPY embeddings (model_id, track_id, embedding) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in ids)
            {
                var v = centres[random.Next(Centres)].Zip(Gaussian(0.6), (c, n) => c + n).ToArray();
                var norm = MathF.Sqrt(v.Sum(x => x * x));
                await vectors.StartRowAsync();
                await vectors.WriteAsync(model, NpgsqlDbType.Bigint);
                await vectors.WriteAsync(id, NpgsqlDbType.Uuid);
                await vectors.WriteAsync(new Vector(v.Select(x => x / norm).ToArray()), "vector");
            }
            await vectors.CompleteAsync();
        }
    }

    private static NpgsqlDataSource NewDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        return builder.Build();
    }

    private float[] Gaussian(double scale) =>
        Enumerable.Range(0, Dimension).Select(_ =>
            (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    internal static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Drops an index of the benchmark's own schema. Unqualified, a name the scratch schema lacks would resolve
    /// through the search path to public's — the library the benchmark runs next to.</summary>
    internal static Task DropIndexAsync(NpgsqlConnection connection, string name) =>
        Execute(connection, $"DO $$ BEGIN EXECUTE format('DROP INDEX IF EXISTS %I.%I', current_schema(), '{name}'); END $$");

    internal static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
