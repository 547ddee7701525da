using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Service.Training;

/// <summary>What a training job runs: a validated <see cref="TrainingRequest"/>, stored with the job.</summary>
/// <remarks>Jobs stored before <c>Precision</c> existed read back as "auto", before <c>Whiten</c> as false.</remarks>
public sealed record TrainingSettings(double? Minutes, int? Steps, string Objective, string Variant, string Encoder, int Seed, int Batch, int Window,
    string Precision = "auto", bool Whiten = false)
{
    public RunSpec ToRunSpec() => new(Objective, Variants.Parse(Variant), EncoderConfig.FromPreset(Encoder), new DinoSettings());

    public TrainingOptions ToOptions() => new()
    {
        BatchSize = Batch,
        WindowFrames = Window,
        Seed = Seed,
        Minutes = Minutes,
        Steps = Steps,
        Precision = Precisions.Parse(Precision),
        // The collapse monitor costs a forward pass of a probe batch: every 20 steps as the CLI, more often for short jobs.
        ReportEvery = Steps is < 200 ? 5 : 20,
        // Short jobs (a few steps, as tests and quick trials run) would never leave the warm-up otherwise.
        WarmupSteps = Steps is { } s ? Math.Min(100, s / 5) : 100,
    };
}
