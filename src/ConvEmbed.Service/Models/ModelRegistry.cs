using System.Collections.Concurrent;
using ConvEmbed.Service.Search;
using ConvEmbed.Service.Storage;
using Npgsql;

namespace ConvEmbed.Service.Models;

/// <summary>
/// Which model is active (one row of <c>models</c> has <c>is_active</c>) and its loaded embedder. The active id is
/// read from the database on every call (so every instance follows a switch at once); a model is loaded once and
/// kept for the life of the process, so a request that started on the old model finishes on it.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource dataSource, SimilarityIndex index, ILogger<ModelRegistry> logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<IEmbeddingModel>> loaded = new();

    public async Task<ActiveModel> GetActiveAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, name, dimension, settings::text, folder FROM models WHERE is_active");
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            throw new InvalidOperationException("No model is active: the service registers the bootstrap model at start-up; is the database initialised?");
        var (id, kind, name, dimension) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
        var settings = reader.GetString(4);
        var folder = reader.IsDBNull(5) ? null : reader.GetString(5);
        var embedder = loaded.GetOrAdd(id, _ => new Lazy<IEmbeddingModel>(() => Load(id, kind, settings, folder))).Value;
        return new ActiveModel(id, kind, name, dimension, embedder);
    }

    /// <summary>The loaded embedder of any registered model (e.g. one being re-embedded with before it is active).</summary>
    public async Task<IEmbeddingModel> GetModelAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT kind, settings::text, folder FROM models WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new InvalidDataException($"Model {id} does not exist.");
        var (kind, settings, folder) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return loaded.GetOrAdd(id, _ => new Lazy<IEmbeddingModel>(() => Load(id, kind, settings, folder))).Value;
    }

    /// <summary>Registers the bootstrap model if there is none and activates it if no model is active. Idempotent.</summary>
    public async Task EnsureBootstrapAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockModels = new NpgsqlCommand("LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE", connection, tx))
            await lockModels.ExecuteNonQueryAsync(ct);
        long? id;
        await using (var find = new NpgsqlCommand($"SELECT id FROM models WHERE kind = '{BootstrapModel.Kind}'", connection, tx))
            id = (long?)await find.ExecuteScalarAsync(ct);
        if (id is null)
        {
            var settings = BootstrapModel.ToSettings(BootstrapModel.ReferenceStandardisation);
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO models (kind, name, dimension, settings) VALUES ('{BootstrapModel.Kind}', 'MFCC statistics (bootstrap)', $1, $2::jsonb) RETURNING id",
                connection, tx);
            insert.Parameters.Add(new NpgsqlParameter { Value = ConvEmbed.Model.Evaluation.MfccStatistics.FeatureLength });
            insert.Parameters.Add(new NpgsqlParameter { Value = settings });
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
            await index.CreateIndexAsync(connection, tx, id.Value, ConvEmbed.Model.Evaluation.MfccStatistics.FeatureLength, ct);
            logger.LogInformation("Registered the bootstrap model (MFCC statistics, 80-d) as model {ModelId}", id);
        }
        await using (var activate = new NpgsqlCommand(
                         "UPDATE models SET is_active = true WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM models WHERE is_active)", connection, tx))
        {
            activate.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            if (await activate.ExecuteNonQueryAsync(ct) == 1) logger.LogInformation("Model {ModelId} (bootstrap) is active", id);
        }
        await tx.CommitAsync(ct);
    }

    private IEmbeddingModel Load(long id, string kind, string settings, string? folder)
    {
        logger.LogInformation("Loading model {ModelId} ({Kind})", id, kind);
        return kind switch
        {
            BootstrapModel.Kind => new BootstrapModel(BootstrapModel.FromSettings(settings)),
            "encoder" when folder is not null => new EncoderModel(folder),
            _ => throw new InvalidDataException($"Model {id} of kind '{kind}' cannot be loaded (folder: {folder ?? "none"})."),
        };
    }

    public void Dispose()
    {
        foreach (var model in loaded.Values.Where(l => l.IsValueCreated)) model.Value.Dispose();
        loaded.Clear();
    }
}
