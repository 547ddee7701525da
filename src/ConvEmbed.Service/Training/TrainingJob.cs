namespace ConvEmbed.Service.Training;

/// <summary>A training (or re-embedding) job as the admin API shows it.</summary>
/// <param name="Id">Job id.<example>3</example></param>
/// <param name="Kind">train, or reembed (activating a model whose vectors do not cover every track).<example>train</example></param>
/// <param name="State">queued, running, reembedding, succeeded, failed or cancelled.<example>running</example></param>
/// <param name="Error">Why it failed, in words.</param>
/// <param name="ModelId">The model it made (or re-embeds with).<example>2</example></param>
/// <param name="Stale">Set while a running job's worker has not reported for over 5 s: "stale: no heartbeat for N s".</param>
public sealed record TrainingJob(long Id, JobKind Kind, JobState State, TrainingSettings? Settings, TrainingJobProgress Progress,
    long? ModelId, string? Error, bool CancelRequested, string? ClaimedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Stale = null);
