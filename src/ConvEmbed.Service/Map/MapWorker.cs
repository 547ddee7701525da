using System.Diagnostics;
using ConvEmbed.Model.Mapping;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Map;

/// <summary>
/// Keeps the active model's map current: when a model becomes active (no layout yet) its map is computed at once;
/// tracks uploaded later join at the next layout, at most every <see cref="MapOptions.RefreshSeconds"/>. A layout is
/// t-SNE over every vector of the model, run off the request path; instances take turns through an advisory lock.
/// </summary>
public sealed class MapWorker(MapStore store, ModelStore models, StorageReadiness readiness, NpgsqlDataSource dataSource, IOptions<MapOptions> options,
    ILogger<MapWorker> logger) : BackgroundService
{
    // One lock per model's layout, named after the schema too: services sharing a database in schemas of their own
    // (the tests, tenants) have models with the same ids.
    private const string LockKey = "hashtext(current_schema() || '/convembed-map'), $1::int";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.WorkerEnabled)
        {
            logger.LogInformation("The map worker is off ({Section}:WorkerEnabled = false)", MapOptions.Section);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await RefreshAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(o.CheckSeconds), stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: whatever the cancellation broke
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Map worker: {Reason}; retrying", e.Message);
                await BackgroundPause.ForAsync(TimeSpan.FromSeconds(o.CheckSeconds), stoppingToken);
            }
            catch (Exception e)
            {
                // A layout that fails (a bug, a vector of the wrong size) must not stop the service: the map keeps its last layout.
                logger.LogError(e, "Map worker: computing a layout failed; the map keeps its last layout and the worker tries again later");
                await BackgroundPause.ForAsync(TimeSpan.FromSeconds(Math.Max(o.CheckSeconds, o.RefreshSeconds)), stoppingToken);
            }
        }
    }

    /// <summary>Computes the active model's layout if tracks are missing from it and the last one is old enough.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (await models.GetActiveAsync(ct) is not { Id: var modelId }) return;
        var coverage = await store.GetCoverageAsync(modelId, ct);
        if (coverage.Tracks == 0 || coverage.Placed == coverage.Tracks) return;
        var recent = coverage.ComputedAt is { } at && DateTimeOffset.UtcNow - at < TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        if (coverage.Placed > 0 && recent) return; // new uploads wait for the next refresh
        await ComputeAsync(modelId, ct);
    }

    private async Task ComputeAsync(long modelId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
        {
            tryLock.Parameters.Add(new NpgsqlParameter { Value = modelId });
            if (await tryLock.ExecuteScalarAsync(ct) is not true) return; // another instance is computing it
        }
        try
        {
            await store.BeginAsync(modelId, ct);
            var (tracks, embeddings) = await store.ReadEmbeddingsAsync(modelId, ct);
            logger.LogInformation("Computing the map of model {ModelId}: t-SNE of {Tracks} vectors", modelId, tracks.Length);
            var started = Stopwatch.GetTimestamp();
            var tsne = new Tsne(options.Value.ToTsne());
            var points = await Task.Run(() => tsne.Fit(embeddings, null, ct), ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var placed = await store.SaveAsync(modelId, tracks, points, seconds, tsne.KullbackLeibler, ct);
            logger.LogInformation("Map of model {ModelId} ready: {Placed} tracks in {Seconds:0.0} s (KL {Kl:0.000})", modelId, placed, seconds, tsne.KullbackLeibler);
        }
        catch
        {
            await store.AbandonAsync(modelId, CancellationToken.None);
            throw;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            unlock.Parameters.Add(new NpgsqlParameter { Value = modelId });
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
