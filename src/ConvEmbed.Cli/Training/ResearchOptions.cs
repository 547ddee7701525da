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

    public Option<int> Chunks { get; } = new Option<int>("--chunks")
        { Description = "ConvEmbed: cut each window into this many chunks and change each on its own (gain, tilt, mel shift, stretch, order); 1 leaves windows whole.", DefaultValueFactory = _ => 1 }
        .Must(v => v is >= 1 and <= 64, "must be between 1 and 64");

    public Option<double> ChunkTiltDb { get; } = new Option<double>("--chunk-tilt-db")
        { Description = "With --chunks: spectral tilt per chunk, uniform in ±dB between the lowest and the highest band.", DefaultValueFactory = _ => 6.0 }
        .Must(v => v >= 0, "must be 0 or more");

    public Option<int> ChunkMelShift { get; } = new Option<int>("--chunk-mel-shift")
        { Description = "With --chunks: shift per chunk along the mel axis, uniform in ±bins.", DefaultValueFactory = _ => 2 }
        .Must(v => v is >= 0 and <= 16, "must be between 0 and 16");

    public Option<double> ChunkStretch { get; } = new Option<double>("--chunk-stretch")
        { Description = "With --chunks: time stretch per chunk, uniform in ±this fraction.", DefaultValueFactory = _ => 0.1 }
        .Must(v => v is >= 0 and < 0.5, "must be in [0, 0.5)");

    public Option<bool> ChunkShuffle { get; } = new Option<bool>("--chunk-shuffle")
        { Description = "With --chunks: shuffle the chunks' order (true or false).", DefaultValueFactory = _ => true };

    public Option<double> Mixup { get; } = new Option<double>("--mixup")
        { Description = "ConvEmbed: mix every chunk in power with a window of the previous batch at a ratio uniform in [0, this) (0 turns it off).", DefaultValueFactory = _ => 0.0 }
        .Must(v => v is >= 0 and < 1, "must be in [0, 1)");

    public Option<int> Queue { get; } = new Option<int>("--queue")
        { Description = "ConvEmbed: past globals kept as extra negatives of the InfoNCE (MoCo's queue; 0 turns it off).", DefaultValueFactory = _ => 0 }
        .Must(v => v is >= 0 and <= 1_000_000, "must be between 0 and 1000000");

    public Option<bool> DistinctTracks { get; } = new Option<bool>("--distinct-tracks")
        { Description = "ConvEmbed: draw the tracks of a batch without replacement, so no window meets its own track as a negative." };

    public Option<bool> OtherWindows { get; } = new Option<bool>("--other-windows")
        { Description = "ConvEmbed with --windows-per-track 2 or more: each window's locals are tied to the mean of its track's other windows, which share no audio with them." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Channels, Window, WindowsPerTrack, LearningRate, Temperature, GainDb, Noise, Chunks, ChunkTiltDb, ChunkMelShift, ChunkStretch, ChunkShuffle, Mixup, Queue, DistinctTracks, OtherWindows })
            command.Options.Add(option);
    }

    public ResearchSettings Read(ParseResult parse) => new(parse.GetValue(Channels), parse.GetValue(Window), parse.GetValue(WindowsPerTrack),
        parse.GetValue(LearningRate), parse.GetValue(Temperature), parse.GetValue(GainDb), parse.GetValue(Noise))
    {
        Chunks = parse.GetValue(Chunks), ChunkTiltDb = parse.GetValue(ChunkTiltDb), ChunkMelShift = parse.GetValue(ChunkMelShift),
        ChunkStretch = parse.GetValue(ChunkStretch), ChunkShuffle = parse.GetValue(ChunkShuffle), Mixup = parse.GetValue(Mixup),
        Queue = parse.GetValue(Queue), DistinctTracks = parse.GetValue(DistinctTracks), OtherWindows = parse.GetValue(OtherWindows),
    };
}

/// <summary>The values of <see cref="ResearchOptions"/> for one run.</summary>
public sealed record ResearchSettings(int Channels, int WindowFrames, int WindowsPerTrack, double? LearningRate, double Temperature, double GainDb, double NoiseStd)
{
    public int Chunks { get; init; } = 1;
    public double ChunkTiltDb { get; init; } = 6.0;
    public int ChunkMelShift { get; init; } = 2;
    public double ChunkStretch { get; init; } = 0.1;
    public bool ChunkShuffle { get; init; } = true;
    public double Mixup { get; init; }
    public int Queue { get; init; }
    public bool DistinctTracks { get; init; }
    public bool OtherWindows { get; init; }

    /// <summary>The run's augmentation; chunk views (a fresh instance: it keeps the previous batch) only when asked for.</summary>
    public Augmentation Augmentation(double normalisationStd) => new(normalisationStd, GainDb, NoiseStd)
    {
        Chunks = Chunks > 1 || Mixup > 0
            ? new ChunkAugmentation(Chunks, normalisationStd, GainDb, ChunkTiltDb, ChunkMelShift, ChunkStretch, ChunkShuffle, Mixup)
            : null,
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"window {WindowFrames} frames, {WindowsPerTrack} per track, lr {(LearningRate is { } lr ? lr.ToString("0.####e0", CultureInfo.InvariantCulture) : "1e-3 × batch/32")}, " +
        $"convembed temperature {Temperature}, augmentation gain ±{GainDb} dB, noise {NoiseStd}, chunk views {Augmentation(1.0).Chunks?.Describe() ?? "off"}, queue {Queue}, {(DistinctTracks ? "distinct" : "independent")} tracks per batch{(OtherWindows ? ", globals from other windows" : "")}");
}
