using System.Diagnostics;
using ConvEmbed.Model.Mapping;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Map;

/// <summary>
/// Keeps the active model's map current, and keeps it where the user saw it. When a model becomes active (no layout
/// yet) its map is laid out at once. A track that arrives later is put on the map within a check (every
/// <see cref="MapOptions.CheckSeconds"/>) next to its most similar placed tracks (<see cref="MapPlacement"/>; found
/// through the model's vector index), nothing else moving. At most every <see cref="MapOptions.RefreshSeconds"/>, when
/// the tracks differ from the last full layout's, t-SNE runs again: from the current positions when the last full
/// layout placed at least <see cref="MapOptions.SettledFrom"/> tracks and at least half of today's (a layout of a
/// handful of tracks is no shape worth keeping — refined from there it stays tangled), else afresh. Layouts run off
/// the request path; instances take turns through an advisory lock.
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

    /// <summary>Lays out a model's first map at once; places new tracks; lays the map out again when the tracks changed
    /// since the last layout and that one is old enough.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (await models.GetActiveAsync(ct) is not { Id: var modelId, Dimension: var dimension }) return;
        var coverage = await store.GetCoverageAsync(modelId, ct);
        if (coverage.Tracks == 0) return;
        if (coverage.Placed == 0)
        {
            await WithLockAsync(modelId, () => ComputeAsync(modelId, ct), ct);
            return;
        }
        if (coverage.Placed < coverage.Tracks) await WithLockAsync(modelId, () => PlaceNewAsync(modelId, dimension, ct), ct);
        // A large map takes minutes to lay out: the pause after one is at least four times its length, so re-layouts
        // during a long import take at most a fifth of the machine.
        var pause = Math.Max(options.Value.RefreshSeconds, 4 * (coverage.Seconds ?? 0));
        var recent = coverage.ComputedAt is { } at && DateTimeOffset.UtcNow - at < TimeSpan.FromSeconds(pause);
        if (!recent && coverage.LaidOut != coverage.Tracks) await WithLockAsync(modelId, () => ComputeAsync(modelId, ct), ct);
    }

    /// <summary>Tracks not on the map yet, each put next to its most similar placed tracks (a batch per check).</summary>
    private async Task PlaceNewAsync(long modelId, int dimension, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var waiting = await store.ReadUnplacedAsync(modelId, MapOptions.PlacementBatch, ct);
        if (waiting.Count == 0) return;
        var points = new List<MapPoint>(waiting.Count);
        foreach (var (_, vector) in waiting)
        {
            var neighbours = await store.NearestPlacedAsync(modelId, dimension, vector, MapPlacement.Neighbours, ct);
            if (neighbours.Count == 0) return; // nothing placed any more (the map was replaced meanwhile): the next layout places all
            points.Add(MapPlacement.Place(neighbours));
        }
        var added = await store.PlaceAsync(modelId, waiting.Select(w => w.Track).ToList(), points, ct);
        logger.LogInformation("Map of model {ModelId}: {Added} new track(s) placed next to their neighbours in {Ms:0} ms", modelId, added,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ComputeAsync(long modelId, CancellationToken ct)
    {
        try
        {
            var coverage = await store.GetCoverageAsync(modelId, ct);
            await store.BeginAsync(modelId, ct);
            var (tracks, embeddings, previous) = await store.ReadEmbeddingsAsync(modelId, ct);
            var settled = coverage.LaidOut is { } laid && laid >= options.Value.SettledFrom && 2 * laid >= tracks.Length;
            var start = settled && previous.All(p => p is not null) ? previous.Select(p => p!.Value).ToArray() : null;
            logger.LogInformation("Computing the map of model {ModelId}: t-SNE of {Tracks} vectors, starting from {Start}", modelId, tracks.Length,
                start is null ? "a PCA projection" : "the current map");
            var started = Stopwatch.GetTimestamp();
            var tsne = new Tsne(options.Value.ToTsne());
            var points = await Task.Run(() => tsne.Fit(embeddings, null, ct, start), ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var placed = await store.SaveAsync(modelId, tracks, points, seconds, tsne.KullbackLeibler, ct);
            logger.LogInformation("Map of model {ModelId} ready: {Placed} tracks in {Seconds:0.0} s (KL {Kl:0.000})", modelId, placed, seconds, tsne.KullbackLeibler);
        }
        catch
        {
            await store.AbandonAsync(modelId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> holding the model's map lock; skips it when another instance holds it.</summary>
    private async Task WithLockAsync(long modelId, Func<Task> work, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
        {
            tryLock.Parameters.Add(new NpgsqlParameter { Value = modelId });
            if (await tryLock.ExecuteScalarAsync(ct) is not true) return; // another instance is computing it
        }
        try
        {
            await work();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            unlock.Parameters.Add(new NpgsqlParameter { Value = modelId });
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
