using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>What a run leaves behind: its summary, and the model folder an embedder loads (the CLI's <c>train</c> and the
/// service's training job save the same way).</summary>
public static class TrainedModel
{
    public static TrainingSummary Summarise(Trainer trainer, TrainingOptions options, int tracks) =>
        new(trainer.Step, trainer.Seconds, options.Seed, TorchRuntime.Threads, options.BatchSize, trainer.Last?.Loss ?? double.NaN,
            trainer.Last?.EmbeddingStd, trainer.Last?.StepsPerSecond ?? 0, trainer.Last?.WindowsPerSecond ?? 0, tracks);

    /// <summary>Writes the objective's embedding encoder and its configuration to <paramref name="folder"/> (atomically),
    /// with the whitening of its vectors when given (<see cref="WhiteningFit"/>).</summary>
    public static TrainingSummary Save(string folder, Trainer trainer, Objective objective, RunSpec spec, NormalisationConfig normalisation,
        TrainingOptions options, int tracks, (PcaWhitening Whitening, WhiteningConfig Config)? whitening = null)
    {
        var summary = Summarise(trainer, options, tracks);
        ModelFolder.SaveModel(folder, objective.EmbeddingEncoder,
            ModelConfig.For(spec.Encoder, normalisation, spec.Name, options.WindowFrames, summary) with { Whitening = whitening?.Config }, whitening?.Whitening);
        return summary;
    }
}
