using System.Diagnostics;
using ConvEmbed.Model.Mapping;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Map;

/// <summary>
/// Keeps the active model's map current, and keeps it where the user saw it: when a model becomes active (no layout
/// yet) its map is computed at once. A track that arrives later is put on the map at once next to its nearest
/// neighbours (<see cref="MapPlacement"/>), nothing else moving; at most every <see cref="MapOptions.RefreshSeconds"/>,
/// when the set of tracks differs from the last full layout's, t-SNE runs again starting from the current positions,
/// so regions stay where they were. Layouts run off the request path; instances take turns through an advisory lock.
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

    /// <summary>Places new tracks at once; lays the map out again (from where it is) when the tracks changed since
    /// the last layout and that one is old enough; lays out a model's first map at once.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (await models.GetActiveAsync(ct) is not { Id: var modelId }) return;
        var coverage = await store.GetCoverageAsync(modelId, ct);
        if (coverage.Tracks == 0) return;
        if (coverage.Placed == 0)
        {
            await ComputeAsync(modelId, ct);
            return;
        }
        if (coverage.Placed < coverage.Tracks) await WithLockAsync(modelId, () => PlaceNewAsync(modelId, ct), ct);
        var recent = coverage.ComputedAt is { } at && DateTimeOffset.UtcNow - at < TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        if (!recent && coverage.LaidOut != coverage.Tracks) await ComputeAsync(modelId, ct);
    }

    /// <summary>The tracks not on the map yet, each put next to its nearest placed neighbours.</summary>
    private async Task PlaceNewAsync(long modelId, CancellationToken ct)
    {
        var (tracks, embeddings, points) = await store.ReadEmbeddingsWithPointsAsync(modelId, ct);
        var placed = Enumerable.Range(0, tracks.Length).Where(i => points[i] is not null).ToList();
        var waiting = Enumerable.Range(0, tracks.Length).Where(i => points[i] is null).ToList();
        if (placed.Count == 0 || waiting.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        var positions = await Task.Run(() => MapPlacement.NearNeighbours(placed.Select(i => embeddings[i]).ToList(),
            placed.Select(i => points[i]!.Value).ToList(), waiting.Select(i => embeddings[i]).ToList(), ct: ct), ct);
        var added = await store.PlaceAsync(modelId, waiting.Select(i => tracks[i]).ToList(), positions, ct);
        logger.LogInformation("Map of model {ModelId}: {Added} new track(s) placed next to their neighbours in {Ms:0} ms", modelId, added,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ComputeAsync(long modelId, CancellationToken ct) => await WithLockAsync(modelId, async () =>
    {
        try
        {
            await store.BeginAsync(modelId, ct);
            var (tracks, embeddings, previous) = await store.ReadEmbeddingsWithPointsAsync(modelId, ct);
            // From where the map is, when every track has a place (new ones were placed next to their neighbours) and
            // at least half of them come from a full layout; a map grown mostly by placement (its first layout had a
            // handful of tracks) is laid out afresh.
            var coverage = await store.GetCoverageAsync(modelId, ct);
            var settled = coverage.LaidOut is { } laid && 2 * laid >= tracks.Length;
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
    }, ct);

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
