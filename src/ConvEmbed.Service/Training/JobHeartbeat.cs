using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// A claimed job's heartbeat, beside its work for as long as it runs: every <c>every</c> its current state and progress
/// are written to its row (other instances fail a job whose heartbeat stops, and the API shows the progress), and a
/// cancel asked through the API — or the job taken from this worker — cancels the work. Beating beside the work, not
/// between its steps, keeps a long decode, index build or switch from looking like a dead service. A database blip is
/// logged and the next beat tries again. Beats never overlap, so the row never goes back to an older state.
/// </summary>
internal sealed class JobHeartbeat : IAsyncDisposable
{
    private readonly TrainingJobs jobs;
    private readonly TrainingJob job;
    private readonly string worker;
    private readonly CancellationTokenSource cancel;
    private readonly ILogger logger;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task beating;
    private volatile Report current;

    private sealed record Report(JobState State, Func<TrainingJobProgress> Progress, long? ModelId);

    public JobHeartbeat(TrainingJobs jobs, TrainingJob job, string worker, CancellationTokenSource cancel, ILogger logger, TimeSpan every)
    {
        (this.jobs, this.job, this.worker, this.cancel, this.logger) = (jobs, job, worker, cancel, logger);
        current = new Report(JobState.Running, () => job.Progress, null);
        beating = BeatEveryAsync(every);
    }

    /// <summary>What the next beats write: the state, a snapshot of the progress (read at each beat), the model made.</summary>
    public void Set(JobState state, Func<TrainingJobProgress> progress, long? modelId = null) => current = new Report(state, progress, modelId);

    /// <summary>Writes the current report now (a change of state is seen at once, not a second later).</summary>
    public async Task BeatAsync()
    {
        await writing.WaitAsync(CancellationToken.None);
        try
        {
            var report = current;
            if (await jobs.ReportAsync(job.Id, worker, report.State, report.Progress(), report.ModelId, CancellationToken.None))
                await cancel.CancelAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Job {JobId}: the heartbeat could not be written ({Reason}); trying again", job.Id, e.Message);
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task BeatEveryAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token)) await BeatAsync();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await beating;
        stop.Dispose();
        writing.Dispose();
    }
}
