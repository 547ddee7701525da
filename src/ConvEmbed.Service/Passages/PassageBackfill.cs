using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Training;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Passages;

/// <summary>
/// Gives the active model's tracks the passages they lack — those stored before passages existed or while they were
/// turned off, and a re-upload of bytes whose vector had to be added alone — from their cached log-mels, a batch at a
/// time, in the background: checks at start and then every <see cref="CheckInterval"/>. Instances take turns through
/// an advisory lock; a batch is written only while its model is still active.
/// </summary>
public sealed class PassageBackfill(ModelRegistry registry, Reembedder reembedder, StorageReadiness readiness, NpgsqlDataSource dataSource,
    IOptions<PassageOptions> options, ILogger<PassageBackfill> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(60);
    private const string LockKey = "hashtext(current_schema() || '/convembed-passages')";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await FillAsync(stoppingToken);
                await BackgroundPause.ForAsync(readiness.IsReady ? CheckInterval : TimeSpan.FromSeconds(2), stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Unreadable tracks are reported and tried again later; the service goes on without their passages.
                logger.LogWarning("Passage backfill: {Reason}; trying again in {Seconds} s", e.Message, CheckInterval.TotalSeconds);
                await BackgroundPause.ForAsync(CheckInterval, stoppingToken);
            }
        }
    }

    /// <summary>Adds the active model's missing passages; returns how many tracks got them.</summary>
    public async Task<long> FillAsync(CancellationToken ct)
    {
        var model = await registry.GetActiveAsync(ct);
        if (model.Passages is null) return 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
            if (await tryLock.ExecuteScalarAsync(ct) is not true) return 0;
        try
        {
            var filled = await reembedder.EmbedMissingAsync(model.Id, model.Embedder, model.Passages, done =>
            {
                if (done % 1024 < 32) logger.LogInformation("Passage backfill: {Done} tracks of model {ModelId} so far", done, model.Id);
                return Task.CompletedTask;
            }, ct, onlyWhileActive: true);
            if (filled > 0) logger.LogInformation("Passage backfill: {Filled} tracks got passages of model {ModelId}", filled, model.Id);
            return filled;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
