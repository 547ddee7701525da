namespace ConvEmbed.Service.Training;

/// <summary>A job's public fields: what it is, how far it got, and why it failed.</summary>
/// <param name="Id">Job id.<example>7</example></param>
/// <param name="Kind">train or reembed.<example>train</example></param>
/// <param name="State">queued, running, reembedding, succeeded, failed or cancelled.<example>running</example></param>
/// <param name="Open">Whether the job has not ended yet (queued, running or reembedding).<example>true</example></param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="Stale">Set while a running job's worker has not reported for over 5 s.</param>
/// <param name="Progress">Steps, time, loss curve, re-embedding.</param>
public sealed record TrainingJobSummary(long Id, JobKind Kind, JobState State, bool Open, string? Error, string? Stale, TrainingJobProgress Progress,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static TrainingJobSummary Of(TrainingJob job) =>
        new(job.Id, job.Kind, job.State, job.State.IsOpen(), job.Error, job.Stale, job.Progress, job.CreatedAt, job.StartedAt, job.FinishedAt);
}
