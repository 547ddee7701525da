using System.CommandLine;
using System.Globalization;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli.Training;

/// <summary>
/// The quality knobs `bench objectives` sweeps (docs/benchmarks.md#pushing-the-quality-on-real-music): encoder width, training window, windows
/// per track, learning rate, InfoNCE temperature and augmentation strength. Window, learning rate and augmentation
/// apply to both objectives. Their defaults are the product's, so a run without them trains what `train` and the
/// service train.
/// </summary>
public sealed class ResearchOptions
{
    private static readonly TrainingOptions Training = new();
    private static readonly Augmentation Augment = new(1.0);

    public Option<int> Channels { get; } = new Option<int>("--channels")
        { Description = "Encoder width: channels of every conv layer and of the embedding.", DefaultValueFactory = _ => EncoderConfig.DefaultChannels }
        .Must(v => v is >= 8 and <= 2048, "must be between 8 and 2048");

    public Option<int> Window { get; } = new Option<int>("--window")
        { Description = "Training (and evaluation) window in frames of 10 ms.", DefaultValueFactory = _ => Training.WindowFrames }
        .Must(v => TrainingOptions.WindowProblem(v) is null, $"must be between {TrainingOptions.MinWindowFrames} and {TrainingOptions.MaxWindowFrames} frames");

    public Option<int> WindowsPerTrack { get; } = new Option<int>("--windows-per-track")
        { Description = "ConvEmbed: windows drawn from each track in a batch, sharing one global view (must divide --batch).", DefaultValueFactory = _ => Training.WindowsPerTrack }
        .Must(v => v >= 1, "must be at least 1");

    public Option<double?> LearningRate { get; } = new Option<double?>("--lr")
        { Description = "AdamW's peak learning rate (default: 1e-3 scaled with --batch)." }
        .Must(v => v is null or > 0, "must be positive");

    public Option<double> Temperature { get; } = new Option<double>("--temperature")
        { Description = "ConvEmbed: τ of the local→global InfoNCE.", DefaultValueFactory = _ => InfoNceObjective.Temperature }
        .Must(v => v > 0, "must be positive");

    public Option<double> GainDb { get; } = new Option<double>("--gain-db")
        { Description = "Augmentation: random gain per window, uniform in ±dB (0 turns it off).", DefaultValueFactory = _ => Augment.GainDb }
        .Must(v => v >= 0, "must be 0 or more");

    public Option<double> Noise { get; } = new Option<double>("--noise")
        { Description = "Augmentation: Gaussian noise std in normalised log-mel units (0 turns it off).", DefaultValueFactory = _ => Augment.NoiseStd }
        .Must(v => v >= 0, "must be 0 or more");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Channels, Window, WindowsPerTrack, LearningRate, Temperature, GainDb, Noise }) command.Options.Add(option);
    }

    public ResearchSettings Read(ParseResult parse) => new(parse.GetValue(Channels), parse.GetValue(Window), parse.GetValue(WindowsPerTrack),
        parse.GetValue(LearningRate), parse.GetValue(Temperature), parse.GetValue(GainDb), parse.GetValue(Noise));
}

/// <summary>The values of <see cref="ResearchOptions"/> for one run.</summary>
public sealed record ResearchSettings(int Channels, int WindowFrames, int WindowsPerTrack, double? LearningRate, double Temperature, double GainDb, double NoiseStd)
{
    public Augmentation Augmentation(double normalisationStd) => new(normalisationStd, GainDb, NoiseStd);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"window {WindowFrames} frames, {WindowsPerTrack} per track, lr {(LearningRate is { } lr ? lr.ToString("0.####e0", CultureInfo.InvariantCulture) : "1e-3 × batch/32")}, " +
        $"convembed temperature {Temperature}, augmentation gain ±{GainDb} dB, noise {NoiseStd}");
}
