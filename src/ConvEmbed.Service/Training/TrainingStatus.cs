namespace ConvEmbed.Service.Training;

/// <summary>The latest training job, as anyone may see it; null before the first job.</summary>
public sealed record TrainingStatus(TrainingJobSummary? Job);
