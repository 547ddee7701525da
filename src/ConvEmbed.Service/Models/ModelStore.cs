using System.Text.Json;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// The one owner of <c>models</c>: which model is active, a model by id, the admin list, registering, the bootstrap
/// model, removing a half-made model, and the switch. Other rooms ask here instead of querying the table.
/// </summary>
public sealed class ModelStore(NpgsqlDataSource dataSource, IOptions<PassageOptions> passages, ILogger<ModelStore> logger)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    private const string RowColumns = "id, kind, name, dimension, settings::text, folder, created_at, activated_at, is_active, passage_seconds, passage_hop_seconds";

    public async Task<ModelRow?> GetActiveAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RowColumns} FROM models WHERE is_active");
        return await ReadRowAsync(command, ct);
    }

    public async Task<ModelRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RowColumns} FROM models WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadRowAsync(command, ct);
    }

    /// <summary>The active model's id, its row locked against a switch until <paramref name="tx"/> ends (a switch waits
    /// for it), so a vector written in this transaction is of the model that is active when it commits.</summary>
    public static async Task<long?> LockActiveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM models WHERE is_active FOR SHARE", connection, tx);
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    public async Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken ct) => await ReadInfoAsync(null, ct);

    public async Task<ModelInfo?> GetInfoAsync(long id, CancellationToken ct) => (await ReadInfoAsync(id, ct)).SingleOrDefault();

    public async Task<long> RegisterEncoderAsync(string name, int dimension, string folder, EncoderModelSettings settings, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO models (kind, name, dimension, settings, folder, passage_seconds, passage_hop_seconds) VALUES ('{ModelKinds.Encoder}', $1, $2, $3::jsonb, $4, $5, $6) RETURNING id");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = dimension });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(settings, Json) });
        command.Parameters.Add(new NpgsqlParameter { Value = folder });
        command.Parameters.Add(new NpgsqlParameter { Value = (float)passages.Value.LengthSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = (float)passages.Value.HopSeconds });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Registers the bootstrap model if there is none and activates it if no model is active. Idempotent.</summary>
    public async Task EnsureBootstrapAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Execute(connection, tx, "LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE", ct);
        long? id;
        await using (var find = new NpgsqlCommand($"SELECT id FROM models WHERE kind = '{ModelKinds.Bootstrap}' ORDER BY id LIMIT 1", connection, tx))
            id = (long?)await find.ExecuteScalarAsync(ct);
        if (id is null)
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO models (kind, name, dimension, settings, passage_seconds, passage_hop_seconds) VALUES ('{ModelKinds.Bootstrap}', 'MFCC statistics (bootstrap)', $1, $2::jsonb, $3, $4) RETURNING id",
                connection, tx);
            insert.Parameters.Add(new NpgsqlParameter { Value = MfccStatistics.FeatureLength });
            insert.Parameters.Add(new NpgsqlParameter { Value = MfccStandardisation.FromReferenceSet.ToJson() });
            insert.Parameters.Add(new NpgsqlParameter { Value = (float)passages.Value.LengthSeconds });
            insert.Parameters.Add(new NpgsqlParameter { Value = (float)passages.Value.HopSeconds });
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
            await VectorIndex.CreateAsync(connection, tx, id.Value, MfccStatistics.FeatureLength, ct);
            logger.LogInformation("Registered the bootstrap model (MFCC statistics, 80-d) as model {ModelId}", id);
        }
        // Every model that has vectors has a passage index too (a database from before passages existed gets them
        // here, once, empty: the passage backfill fills them).
        // (Also an index dropped by migration 0008, which made it hold every other passage only: rebuilt here, once.)
        var withVectors = new List<(long Id, int Dimension, PassagePlan Plan)>();
        await using (var models = new NpgsqlCommand(
                         $"SELECT id, dimension, passage_seconds, passage_hop_seconds FROM models m WHERE kind = '{ModelKinds.Bootstrap}' OR EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = m.id)", connection, tx))
        await using (var reader = await models.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) withVectors.Add((reader.GetInt64(0), reader.GetInt32(1), new PassagePlan(reader.GetFloat(2), reader.GetFloat(3))));
        foreach (var (model, dimension, plan) in withVectors) await PassageIndex.CreateAsync(connection, tx, model, dimension, plan, ct);
        await using (var activate = new NpgsqlCommand(
                         "UPDATE models SET is_active = true WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM models WHERE is_active)", connection, tx))
        {
            activate.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            if (await activate.ExecuteNonQueryAsync(ct) == 1) logger.LogInformation("Model {ModelId} (bootstrap) is active", id);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Removes a model that never became active (a failed or cancelled job's), with its vectors, index and folder.</summary>
    public async Task DeleteUnusedAsync(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var delete = new NpgsqlCommand("DELETE FROM models WHERE id = $1 AND NOT is_active RETURNING folder", connection, tx);
        delete.Parameters.Add(new NpgsqlParameter { Value = id });
        var folder = await delete.ExecuteScalarAsync(ct) as string;
        await VectorIndex.DropAsync(connection, tx, id, ct);
        await PassageIndex.DropAsync(connection, tx, id, ct);
        await tx.CommitAsync(ct);
        if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        logger.LogInformation("Removed the unfinished model {ModelId}", id);
    }

    /// <summary>
    /// Makes <paramref name="id"/> the active model in one transaction. New uploads wait for it (the tracks table is
    /// locked against writes), <paramref name="fillMissing"/> embeds the tracks that still lack a vector of the new
    /// model (uploaded since the re-embedding passed them: the caller embeds the rest before, outside this lock), then
    /// the flag moves. Vectors of all but the <paramref name="keepPrevious"/> most recently active other models are
    /// dropped with their indexes.
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
            await Execute(connection, tx, $"DELETE FROM passages WHERE model_id = {old}", ct);
            await VectorIndex.DropAsync(connection, tx, old, ct);
            await PassageIndex.DropAsync(connection, tx, old, ct);
            logger.LogInformation("Dropped the vectors of model {ModelId} (keeping {Keep} previous)", old, keepPrevious);
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Model {ModelId} is now active", id);
    }

    /// <summary>Builds the model's HNSW indexes of track and passage vectors (after its vectors are in: faster than
    /// growing them row by row).</summary>
    public async Task BuildIndexAsync(long id, int dimension, PassagePlan passages, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await VectorIndex.CreateAsync(connection, null, id, dimension, ct);
        await PassageIndex.CreateAsync(connection, null, id, dimension, passages, ct);
    }

    private async Task<IReadOnlyList<ModelInfo>> ReadInfoAsync(long? only, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT m.id, m.kind, m.name, m.created_at, m.activated_at, m.settings::text, m.dimension, m.is_active,
                   (SELECT count(*) FROM embeddings e WHERE e.model_id = m.id), (SELECT count(*) FROM tracks),
                   m.passage_seconds, m.passage_hop_seconds
            FROM models m WHERE $1::bigint IS NULL OR m.id = $1 ORDER BY m.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)only ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var models = new List<ModelInfo>();
        while (await reader.ReadAsync(ct))
        {
            var kind = reader.GetString(1);
            var s = kind == ModelKinds.Encoder ? JsonSerializer.Deserialize<EncoderModelSettings>(reader.GetString(5), Json) : null;
            models.Add(new ModelInfo(reader.GetInt64(0), kind, reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), s?.Objective, s?.Encoder, s?.Steps, s?.Minutes,
                s?.TrainingLoss, reader.GetInt32(6), reader.GetBoolean(7), reader.GetInt64(8), reader.GetInt64(9),
                reader.GetFloat(10), reader.GetFloat(11), s?.Whitened ?? false));
        }
        return models;
    }

    private static async Task<ModelRow?> ReadRowAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ModelRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8),
            new PassagePlan(r.GetFloat(9), r.GetFloat(10)));
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
