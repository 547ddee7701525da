namespace ConvEmbed.Model.Training;

/// <summary>One progress report: where training is, how fast it goes, and whether it is collapsing.</summary>
public sealed record TrainingProgress(
    int Step,
    double Seconds,
    double Fraction,
    double Loss,
    double LearningRate,
    double StepsPerSecond,
    double WindowsPerSecond,
    double? EmbeddingStd);
