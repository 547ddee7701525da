using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Each model's HNSW cosine index on <c>embedding::vector(D)</c>, partial on its id: made when the model's vectors are in,
/// dropped with them. Searches name the same id and dimension as literals so the planner matches this index.
/// Built with ef_construction 128 instead of pgvector's 64: at 1 000 000 vectors recall@10 at the service's ef_search
/// (100) went from 0.929 to 0.961 and p99 stayed at 16.6 ms (SQL), for 1.6× the build time (880 s against 546 s);
/// the index has the same size (m stays 16). docs/benchmarks.md, "Search at 1 000 000 vectors".
/// </summary>
public static class VectorIndex
{
    /// <summary>The HNSW build parameters of every model's index.</summary>
    public const string BuildParameters = "m = 16, ef_construction = 128";

    /// <summary>Candidates an HNSW search keeps at least (hnsw.ef_search); recall@10 ≥ 0.95 at 100k and, with the build
    /// above, at 1M vectors (bench service).</summary>
    public const int MinEfSearch = 100;

    public static string Name(long modelId) => $"embeddings_hnsw_m{modelId}";

    /// <summary>Creates the index (single-threaded build: pgvector &lt; 0.8.2 can overflow in parallel builds).</summary>
    public static Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, int dimension, CancellationToken ct) =>
        CreateHnswAsync(connection, tx, Name(modelId), "embeddings", $"embedding::vector({dimension})", "vector_cosine_ops", BuildParameters, modelId, ct);

    /// <summary>A model's partial HNSW index on a table of vectors (track vectors here, passages in <see cref="PassageIndex"/>),
    /// built single-threaded (pgvector &lt; 0.8.2 can overflow in parallel builds) and without a time limit.</summary>
    internal static async Task CreateHnswAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string name, string table, string expression,
        string operatorClass, string build, long modelId, CancellationToken ct, string? alsoWhere = null)
    {
        // SET LOCAL inside the caller's transaction; a session setting otherwise (the pool resets it on return).
        var sql = $"""
            SET {(tx is null ? "" : "LOCAL ")}max_parallel_maintenance_workers = 0;
            CREATE INDEX IF NOT EXISTS {name} ON {table} USING hnsw (({expression}) {operatorClass}) WITH ({build}) WHERE model_id = {modelId}{(alsoWhere is null ? "" : $" AND {alsoWhere}")};
            """;
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.CommandTimeout = 0; // millions of vectors take minutes
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DropAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX IF EXISTS {Name(modelId)}", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
