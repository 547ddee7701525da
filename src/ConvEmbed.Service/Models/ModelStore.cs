using System.Text.Json;
using ConvEmbed.Service.Search;
using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>SQL for <c>models</c>: registering a trained model, listing, deleting a half-made one, and the switch.</summary>
public sealed class ModelStore(NpgsqlDataSource dataSource, SimilarityIndex index, ILogger<ModelStore> logger)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<long> RegisterEncoderAsync(string name, int dimension, string folder, EncoderModelSettings settings, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO models (kind, name, dimension, settings, folder) VALUES ('encoder', $1, $2, $3::jsonb, $4) RETURNING id");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = dimension });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(settings, Json) });
        command.Parameters.Add(new NpgsqlParameter { Value = folder });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Removes a model that never became active (a failed or cancelled job's), with its vectors, index and folder.</summary>
    public async Task DeleteUnusedAsync(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var delete = new NpgsqlCommand("DELETE FROM models WHERE id = $1 AND NOT is_active RETURNING folder", connection, tx);
        delete.Parameters.Add(new NpgsqlParameter { Value = id });
        var folder = await delete.ExecuteScalarAsync(ct) as string;
        await using (var drop = new NpgsqlCommand($"DROP INDEX IF EXISTS {SimilarityIndex.IndexName(id)}", connection, tx))
            await drop.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        logger.LogInformation("Removed the unfinished model {ModelId}", id);
    }

    public async Task<IReadOnlyList<ModelInfo>> ListAsync(long? only, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT m.id, m.kind, m.name, m.created_at, m.activated_at, m.settings::text, m.dimension, m.is_active,
                   (SELECT count(*) FROM embeddings e WHERE e.model_id = m.id), (SELECT count(*) FROM tracks)
            FROM models m {(only is null ? "" : $"WHERE m.id = {only.Value}")} ORDER BY m.id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var models = new List<ModelInfo>();
        while (await reader.ReadAsync(ct))
        {
            var kind = reader.GetString(1);
            var s = kind == "encoder" ? JsonSerializer.Deserialize<EncoderModelSettings>(reader.GetString(5), Json) : null;
            long vectors = reader.GetInt64(8), tracks = reader.GetInt64(9);
            models.Add(new ModelInfo(reader.GetInt64(0), kind, reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), s?.Objective, s?.Encoder, s?.Steps, s?.Minutes,
                s?.TrainingLoss, reader.GetInt32(6), reader.GetBoolean(7), vectors, tracks == 0 ? 1 : Math.Round((double)vectors / tracks, 4)));
        }
        return models;
    }

    /// <summary>
    /// Makes <paramref name="id"/> the active model in one transaction. New uploads wait for it (the tracks table is
    /// locked against writes), <paramref name="fillMissing"/> embeds the tracks that still lack a vector of the new
    /// model (uploaded since the re-embedding passed them), then the flag moves. Vectors of all but the
    /// <paramref name="keepPrevious"/> most recently active other models are dropped with their indexes.
    /// </summary>
    public async Task SwitchAsync(long id, int keepPrevious, Func<NpgsqlConnection, NpgsqlTransaction, Task> fillMissing, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Execute(connection, tx, "LOCK TABLE tracks IN SHARE MODE", ct);
        await fillMissing(connection, tx);
        await Execute(connection, tx, $"UPDATE models SET is_active = false WHERE is_active AND id <> {id}", ct);
        await Execute(connection, tx, $"UPDATE models SET is_active = true, activated_at = now() WHERE id = {id}", ct);

        var withVectors = new List<long>();
        await using (var others = new NpgsqlCommand($"""
            SELECT id FROM models m WHERE id <> {id} AND EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = m.id)
            ORDER BY activated_at DESC NULLS LAST, id DESC
            """, connection, tx))
        await using (var reader = await others.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) withVectors.Add(reader.GetInt64(0));
        foreach (var old in withVectors.Skip(keepPrevious))
        {
            await Execute(connection, tx, $"DELETE FROM embeddings WHERE model_id = {old}", ct);
            await Execute(connection, tx, $"DROP INDEX IF EXISTS {SimilarityIndex.IndexName(old)}", ct);
            logger.LogInformation("Dropped the vectors of model {ModelId} (keeping {Keep} previous)", old, keepPrevious);
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Model {ModelId} is now active", id);
    }

    /// <summary>Builds the model's HNSW index (after its vectors are in: faster than growing it row by row).</summary>
    public async Task BuildIndexAsync(long id, int dimension, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await index.CreateIndexAsync(connection, null, id, dimension, ct);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
