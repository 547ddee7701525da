using System.Text.Json.Serialization;

namespace ConvEmbed.Service.Training;

/// <summary>
/// Where a job is in its life, named in JSON and in <c>training_jobs.state</c> by <see cref="JobNames"/>: queued (waiting
/// for a worker) → running (decoding what the feature cache lost, then training) → reembedding (every track embedded with
/// the new model, its index built, the switch) → succeeded; or failed (the reason in the job's error) or cancelled, with
/// the old model still active.
/// </summary>
[JsonConverter(typeof(JobNameConverter<JobState>))]
public enum JobState { Queued, Running, Reembedding, Succeeded, Failed, Cancelled }
