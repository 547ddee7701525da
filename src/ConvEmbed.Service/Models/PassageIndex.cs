using ConvEmbed.Model.Passages;
using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Each model's HNSW cosine index on <c>embedding::halfvec(D)</c> over its passages, partial on its id and on every
/// <see cref="PassagePlan.IndexStride"/>-th passage (the passages that tile a track without overlap: the index says
/// where to look, the exact sequence score reads the passages between). Made with the model's track index, dropped with
/// its vectors. pgvector's default build (m 16, ef_construction 64). Every row in the index is an insert into the graph
/// on upload: indexing every other passage halves that, the main cost of passages at ingest (docs/passages.md, "Index";
/// a sparser graph instead, m 8 / ef_construction 32, cost recall@10 0.952 → 0.874 at 1.6 M passages).
/// </summary>
public static class PassageIndex
{
    /// <summary>The HNSW build parameters of every model's passage index.</summary>
    public const string BuildParameters = "m = 16, ef_construction = 64";

    public static string Name(long modelId) => $"passages_hnsw_m{modelId}";

    /// <summary>The condition, on <c>passages</c> aliased <paramref name="alias"/>, of the passages in the index: a query
    /// states it word for word so PostgreSQL can use the partial index.</summary>
    public static string Indexed(PassagePlan plan, string alias = "") =>
        $"{(alias.Length == 0 ? "" : alias + ".")}seq % {plan.IndexStride} = 0";

    public static Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, int dimension, PassagePlan plan, CancellationToken ct) =>
        VectorIndex.CreateHnswAsync(connection, tx, Name(modelId), "passages", $"embedding::halfvec({dimension})", "halfvec_cosine_ops", BuildParameters,
            modelId, ct, Indexed(plan));

    public static async Task DropAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX IF EXISTS {Name(modelId)}", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
