using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Each model's HNSW cosine index on <c>embedding::vector(D)</c>, partial on its id: made when the model's vectors are in,
/// dropped with them. Searches name the same id and dimension as literals so the planner matches this index.
/// </summary>
public static class VectorIndex
{
    public static string Name(long modelId) => $"embeddings_hnsw_m{modelId}";

    /// <summary>Creates the index (single-threaded build: pgvector &lt; 0.8.2 can overflow in parallel builds).</summary>
    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, int dimension, CancellationToken ct)
    {
        // SET LOCAL inside the caller's transaction; a session setting otherwise (the pool resets it on return).
        var sql = $"""
            SET {(tx is null ? "" : "LOCAL ")}max_parallel_maintenance_workers = 0;
            CREATE INDEX IF NOT EXISTS {Name(modelId)} ON embeddings
                USING hnsw ((embedding::vector({dimension})) vector_cosine_ops) WHERE model_id = {modelId};
            """;
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DropAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX IF EXISTS {Name(modelId)}", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
