using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Each model's HNSW cosine index on <c>embedding::halfvec(D)</c> over its passages, partial on its id: made with the
/// model's track index, dropped with its vectors. pgvector's default build (m 16, ef_construction 64). A sparser graph
/// makes ingest cheaper and costs recall: at 1.6 M passages m 8, ef_construction 32 took ingest from 25.9 % to 18.9 %
/// slower than without passages but recall@10 from 0.952 to 0.874 (docs/benchmarks.md, "Passage search").
/// </summary>
public static class PassageIndex
{
    /// <summary>The HNSW build parameters of every model's passage index.</summary>
    public const string BuildParameters = "m = 16, ef_construction = 64";

    public static string Name(long modelId) => $"passages_hnsw_m{modelId}";

    public static Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, int dimension, CancellationToken ct) =>
        VectorIndex.CreateHnswAsync(connection, tx, Name(modelId), "passages", $"embedding::halfvec({dimension})", "halfvec_cosine_ops", BuildParameters, modelId, ct);

    public static async Task DropAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX IF EXISTS {Name(modelId)}", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
