using System.Diagnostics;
using ConvEmbed.Service.Models;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// `--index-study`: the levers of search at a library size, side by side on the same vectors and queries. For each
/// index kind — pgvector's <c>vector</c> (float32) and <c>halfvec</c> (float16, half the index) HNSW on the active model's
/// vectors, with the service's build parameters or those of <c>--index-build</c> — the index is built (time, size on disk), then the same query tracks are answered at each ef_search with
/// the service's query shape (iterative scan, relaxed order, k = 10), timed in SQL on one connection, and scored against
/// exact search (computed once per query on the float32 vectors). Prints, never fails on a time.
/// </summary>
internal sealed class IndexStudy(string connectionString, IReadOnlyList<string> kinds, string? build = null)
{
    public sealed record Row(string Index, string Build, double BuildSeconds, double IndexMiB, int EfSearch, int Queries, double P50Ms, double P99Ms, double RecallAt10);

    private const int Dimension = 80;

    /// <summary>Runs the study; the vector index the similar benchmark just built (same definition, built in vectorBuildSeconds) is used as it is.</summary>
    public async Task<IReadOnlyList<Row>> RunAsync(IReadOnlyList<int> efSearches, int queries, double vectorBuildSeconds)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        var model = (long)(await VectorBenchmark.Scalar(connection, "SELECT id FROM models WHERE is_active"))!;
        var ids = new List<(Guid Id, Vector Vector)>();
        await using (var pick = new NpgsqlCommand($"SELECT track_id, embedding FROM embeddings WHERE model_id = {model} ORDER BY random() LIMIT {queries}", connection))
        await using (var reader = await pick.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add((reader.GetGuid(0), reader.GetFieldValue<Vector>(1)));

        Console.Error.WriteLine($"index study: exact answers for {ids.Count} queries …");
        var exact = new Dictionary<Guid, HashSet<Guid>>();
        foreach (var (id, vector) in ids) exact[id] = [.. await NearestAsync(connection, model, "vector", id, vector, efSearch: null)];

        var rows = new List<Row>();
        foreach (var kind in kinds)
        {
            var buildSeconds = vectorBuildSeconds;
            if (kind != "vector" || build is not null)
            {
                await VectorBenchmark.DropIndexAsync(connection, VectorIndex.Name(model));
                Console.Error.WriteLine($"index study: building the {kind} index …");
                var started = Stopwatch.GetTimestamp();
                await VectorBenchmark.Execute(connection, $"""
                    SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 0;
                    CREATE INDEX {VectorIndex.Name(model)} ON embeddings USING hnsw ((embedding::{kind}({Dimension})) {kind}_cosine_ops)
                        WITH ({build ?? VectorIndex.BuildParameters}) WHERE model_id = {model};
                    """);
                buildSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
            var mib = (long)(await VectorBenchmark.Scalar(connection, $"SELECT pg_relation_size('{VectorIndex.Name(model)}')"))! / 1048576.0;
            foreach (var ef in efSearches)
            {
                for (var i = 0; i < Math.Min(20, ids.Count); i++) await NearestAsync(connection, model, kind, ids[i].Id, ids[i].Vector, ef); // warm-up
                var latencies = new List<double>();
                double recall = 0;
                foreach (var (id, vector) in ids)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var found = await NearestAsync(connection, model, kind, id, vector, ef);
                    latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    recall += found.Count(exact[id].Contains) / 10.0;
                }
                rows.Add(new Row(kind, build ?? VectorIndex.BuildParameters, buildSeconds, mib, ef, ids.Count, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), recall / ids.Count));
                Console.Error.WriteLine($"index study: {rows[^1]}");
            }
        }
        // Leave the service's own index as it was.
        await VectorBenchmark.DropIndexAsync(connection, VectorIndex.Name(model));
        await VectorBenchmark.Execute(connection, $"""
            SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 0;
            CREATE INDEX {VectorIndex.Name(model)} ON embeddings USING hnsw ((embedding::vector({Dimension})) vector_cosine_ops) WITH ({VectorIndex.BuildParameters}) WHERE model_id = {model};
            """);
        return rows;
    }

    /// <summary>The 10 nearest other tracks: through the index at <paramref name="efSearch"/>, or exactly (a scan) when null.</summary>
    private static async Task<List<Guid>> NearestAsync(NpgsqlConnection connection, long model, string kind, Guid id, Vector vector, int? efSearch)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await VectorBenchmark.Execute(connection, efSearch is { } ef
            ? $"SET LOCAL hnsw.ef_search = {ef}; SET LOCAL hnsw.iterative_scan = relaxed_order"
            : "SET LOCAL enable_indexscan = off");
        var distance = $"embedding::{kind}({Dimension}) <=> $2::{kind}({Dimension})";
        await using var command = new NpgsqlCommand($"""
            WITH nearest AS MATERIALIZED (
                SELECT track_id, {distance} AS distance FROM embeddings
                WHERE model_id = {model} AND track_id <> $1 ORDER BY {distance} LIMIT 10)
            SELECT track_id FROM nearest ORDER BY distance, track_id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = vector, DataTypeName = "vector" });
        var result = new List<Guid>(10);
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) result.Add(reader.GetGuid(0));
        await tx.CommitAsync();
        return result;
    }
}
