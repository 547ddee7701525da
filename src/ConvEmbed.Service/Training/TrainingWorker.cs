using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using ConvEmbed.Service.Tracks;
using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// The hosted worker: fails jobs whose service died (no heartbeat), queues an automatic retraining when configured,
/// claims the oldest queued job (<c>FOR UPDATE SKIP LOCKED</c>) and runs it; otherwise waits for a pulse or the poll.
/// </summary>
public sealed class TrainingWorker(TrainingJobs jobs, JobRunner runner, ModelStore models, TrackStore tracks, JobSignal signal,
    StorageReadiness readiness, InstanceIdentity identity, IOptions<ServiceTrainingOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    private long passes;

    /// <summary>The stable part of <see cref="Name"/>: the same after a restart of this instance.</summary>
    public string Instance => identity.Instance;

    /// <summary>This process's name in <c>claimed_by</c>.</summary>
    public string Name => identity.Name;

    /// <summary>Passes of the loop so far that looked for dead jobs, automatic retraining and queued jobs and found no job
    /// to run: lets a watcher wait until the worker has certainly looked, instead of guessing a time.</summary>
    public long Passes => Interlocked.Read(ref passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.WorkerEnabled)
        {
            logger.LogInformation("The training worker is off ({Section}:WorkerEnabled = false)", ServiceTrainingOptions.Section);
            return;
        }
        logger.LogInformation("Training worker {Worker} ready", Name);
        var earlierClaimsChecked = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady)
                {
                    if (!earlierClaimsChecked)
                    {
                        await CleanUpAsync(await jobs.FailEarlierClaimsAsync(Instance, Name, stoppingToken), "this instance was restarted", stoppingToken);
                        earlierClaimsChecked = true;
                    }
                    await CleanUpAsync(await jobs.FailStaleAsync(TimeSpan.FromSeconds(o.HeartbeatTimeoutSeconds), stoppingToken),
                        "its service stopped reporting", stoppingToken);
                    if (o.AutoRetrainAfterTracks > 0) await AutoRetrainAsync(o.AutoRetrainAfterTracks, stoppingToken);
                    if (await jobs.ClaimAsync(Name, stoppingToken) is { } claimed)
                    {
                        await runner.RunAsync(claimed, Name, stoppingToken);
                        continue;
                    }
                    Interlocked.Increment(ref passes);
                }
                await signal.WaitAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: whatever the cancellation broke
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Training worker: {Reason}; retrying", e.Message);
                await BackgroundPause.ForAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
            }
            catch (Exception e)
            {
                // A defect must not stop the host (an unhandled exception in a BackgroundService does): logged with its stack.
                logger.LogError(e, "Training worker: unexpected failure; retrying after {Seconds} s", o.PollSeconds);
                await BackgroundPause.ForAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
            }
        }
    }

    private async Task CleanUpAsync(IReadOnlyList<(long Job, long? Model)> failed, string why, CancellationToken ct)
    {
        foreach (var (job, model) in failed)
        {
            logger.LogWarning("Job {JobId} was interrupted ({Why}): marked failed", job, why);
            if (model is { } id) await models.DeleteUnusedAsync(id, ct);
        }
    }

    private async Task AutoRetrainAsync(int afterTracks, CancellationToken ct)
    {
        // One automatic attempt per active model: no job since it became active (a failed one is not retried in a loop).
        if (await models.GetActiveAsync(ct) is not { } active) return;
        var since = active.ActivatedAt ?? active.CreatedAt;
        if (await jobs.AnySinceAsync(since, ct)) return;
        var added = await tracks.CountAddedSinceAsync(since, ct);
        if (added < afterTracks) return;
        var settings = new TrainingRequest().Validate().Settings!;
        if (await jobs.EnqueueAsync(JobKind.Train, settings, null, ct) is { } job)
            logger.LogInformation("{Added} tracks were added since the active model: queued training job {JobId}", added, job.Id);
    }
}
