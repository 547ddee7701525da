using ConvEmbed.Audio;
using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Model.Checkpoints;

/// <summary>
/// config.json of a model folder: everything needed to turn audio into the same embeddings again
/// (front-end, normalisation, layer list, window, the whitening of its vectors if it has one) plus what trained it.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>A model without a whitening: what every build since the first reads.</summary>
    public const string CurrentFormat = "convembed-model/1";
    /// <summary>A model whose vectors are whitened (<see cref="Whitening"/>): a build that predates whitening refuses it
    /// instead of serving vectors that differ from the ones the model was meant to give.</summary>
    public const string WhitenedFormat = "convembed-model/2";

    public string Format { get; init; } = CurrentFormat;
    public FrontEndConfig FrontEnd { get; init; } = new();
    public required NormalisationConfig Normalisation { get; init; }
    public required string EncoderName { get; init; }
    public required IReadOnlyList<ConvLayer> Layers { get; init; }
    public int ReceptiveFieldFrames { get; init; }
    public int WindowFrames { get; init; } = 600;
    public required string Objective { get; init; }
    public TrainingSummary? Training { get; init; }
    /// <summary>How the stored whitening (<c>whitening.safetensors</c>) was fitted; null when the model has none.</summary>
    public WhiteningConfig? Whitening { get; init; }

    public EncoderConfig ToEncoderConfig() => new(EncoderName, Layers);

    public static ModelConfig For(EncoderConfig encoder, NormalisationConfig normalisation, string objective, int windowFrames, TrainingSummary? training) =>
        new()
        {
            Normalisation = normalisation,
            EncoderName = encoder.Name,
            Layers = encoder.Layers,
            ReceptiveFieldFrames = encoder.ReceptiveFieldFrames,
            WindowFrames = windowFrames,
            Objective = objective,
            Training = training,
        };
}

/// <summary>The fixed front end of docs/method.md#front-end, written down so a checkpoint says what it expects.</summary>
public sealed record FrontEndConfig
{
    public int SampleRate { get; init; } = ConvEmbed.Audio.FrontEnd.SampleRate;
    public int FftSize { get; init; } = ConvEmbed.Audio.FrontEnd.FftSize;
    public int HopLength { get; init; } = ConvEmbed.Audio.FrontEnd.HopLength;
    public int MelBands { get; init; } = ConvEmbed.Audio.FrontEnd.MelBands;
    public double MinFrequency { get; init; } = ConvEmbed.Audio.FrontEnd.MinFrequency;
    public double MaxFrequency { get; init; } = ConvEmbed.Audio.FrontEnd.MaxFrequency;
    public double LogOffset { get; init; } = ConvEmbed.Audio.FrontEnd.LogOffset;
    public string MelScale { get; init; } = "htk";
}

/// <summary>What a model's stored whitening was fitted on (docs/method.md#whitening): <paramref name="FittedOn"/> says
/// which vectors (<c>windows</c>: each window's vector; <c>tracks</c>: each track's), <paramref name="Vectors"/> how
/// many, from <paramref name="Tracks"/> tracks, with <paramref name="Shrinkage"/> × the mean eigenvalue added;
/// <paramref name="WeightsSha256"/>: the weights it was fitted for (set on saving, checked on loading, so a whitening
/// never meets other weights, e.g. after a crash between writing the two).</summary>
public sealed record WhiteningConfig(string FittedOn, double Shrinkage, int Vectors, int Tracks, string? WeightsSha256 = null);

/// <summary>One scalar mean and std of the training library's log-mel.</summary>
public sealed record NormalisationConfig(double Mean, double Std);

/// <summary>What a training run did.</summary>
public sealed record TrainingSummary(
    int Steps,
    double Seconds,
    int Seed,
    int Threads,
    int BatchSize,
    double FinalLoss,
    double? EmbeddingStd,
    double StepsPerSecond,
    double WindowsPerSecond,
    int Tracks);
