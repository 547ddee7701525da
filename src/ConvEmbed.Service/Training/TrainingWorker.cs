using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// The hosted worker: fails jobs whose service died (no heartbeat), queues an automatic retraining when configured,
/// claims the oldest queued job (<c>FOR UPDATE SKIP LOCKED</c>) and runs it; otherwise waits for a pulse or the poll.
/// </summary>
public sealed class TrainingWorker(TrainingJobs jobs, JobRunner runner, ModelStore models, JobSignal signal, StorageReadiness readiness,
    NpgsqlDataSource dataSource, IOptions<ServiceTrainingOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    /// <summary>This instance's name in <c>claimed_by</c>.</summary>
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.WorkerEnabled)
        {
            logger.LogInformation("The training worker is off ({Section}:WorkerEnabled = false)", ServiceTrainingOptions.Section);
            return;
        }
        logger.LogInformation("Training worker {Worker} ready", Name);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady)
                {
                    foreach (var (job, model) in await jobs.FailStaleAsync(TimeSpan.FromSeconds(o.HeartbeatTimeoutSeconds), stoppingToken))
                    {
                        logger.LogWarning("Job {JobId} was interrupted (its service stopped reporting): marked failed", job);
                        if (model is { } id) await models.DeleteUnusedAsync(id, stoppingToken);
                    }
                    if (o.AutoRetrainAfterTracks > 0) await AutoRetrainAsync(o.AutoRetrainAfterTracks, stoppingToken);
                    if (await jobs.ClaimAsync(Name, stoppingToken) is { } claimed)
                    {
                        await runner.RunAsync(claimed, Name, stoppingToken);
                        continue;
                    }
                }
                await signal.WaitAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Training worker: {Reason}; retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
            }
        }
    }

    private async Task AutoRetrainAsync(int afterTracks, CancellationToken ct)
    {
        // One automatic attempt per active model: no job since it became active (a failed one is not retried in a loop).
        await using var command = dataSource.CreateCommand("""
            WITH active AS (SELECT coalesce(activated_at, created_at) AS since FROM models WHERE is_active)
            SELECT count(*) FROM tracks, active
            WHERE tracks.created_at > active.since
              AND NOT EXISTS (SELECT 1 FROM training_jobs j WHERE j.created_at > active.since OR j.state IN ('queued', 'running', 'reembedding'))
            """);
        var added = (long)(await command.ExecuteScalarAsync(ct))!;
        if (added < afterTracks) return;
        var settings = new TrainingRequest().Validate().Settings!;
        if (await jobs.EnqueueAsync("train", settings, null, ct) is { } job)
            logger.LogInformation("{Added} tracks were added since the active model: queued training job {JobId}", added, job.Id);
    }
}
