using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>
/// Trainer settings with the defaults of docs/method.md#training: AdamW lr 1e-3 at batch 32, weight decay 0.04 (none on norms and
/// biases), 100 warm-up steps then cosine decay, global gradient-norm clipping. A budget is minutes or steps.
/// </summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 32;
    public int WindowFrames { get; init; } = 600;

    /// <summary>The one rule for training windows, in frames of 10 ms: every command and the service check it. At least
    /// 32 because DINO's local crops are a quarter of the window (8 frames: about the rf0.1 encoder's receptive field).</summary>
    public const int MinWindowFrames = 32, MaxWindowFrames = 6000;

    /// <summary>Why <paramref name="frames"/> is no training window, or null when it is one.</summary>
    public static string? WindowProblem(int frames) => frames is < MinWindowFrames or > MaxWindowFrames
        ? $"window must be between {MinWindowFrames} and {MaxWindowFrames} frames (was {frames})"
        : null;
    /// <summary>Single-pass objectives: windows drawn from each track in a batch (they share one global view, the mean
    /// over all their positions); must divide <see cref="BatchSize"/>. DINO ignores it.</summary>
    public int WindowsPerTrack { get; init; } = 1;
    /// <summary>AdamW's peak learning rate; null (the default) means <see cref="LearningRateFor"/> the batch size, so
    /// every command and the service scale it the same way.</summary>
    public double? LearningRate { get; init; }

    /// <summary>The learning rate the run uses: <see cref="LearningRate"/> or 1e-3 scaled with the batch.</summary>
    public double PeakLearningRate => LearningRate ?? LearningRateFor(BatchSize);

    /// <summary>1e-3 at batch 32, scaled linearly with the batch size (Goyal et al., 2017).</summary>
    public static double LearningRateFor(int batchSize) => 1e-3 * batchSize / 32.0;
    public double WeightDecay { get; init; } = 0.04;
    public int WarmupSteps { get; init; } = 100;
    public double ClipGradNorm { get; init; } = 3.0;
    /// <summary>Wall-clock training budget (evaluation time excluded). Exactly one of Minutes or Steps.</summary>
    public double? Minutes { get; init; }
    public int? Steps { get; init; }
    public int Seed { get; init; }
    /// <summary>fp32 (the default here, the same on every machine), bf16 autocast, or auto (bf16 where the CPU has it
    /// natively); the commands and the service ask for auto.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;
    /// <summary>Where the networks, their optimiser state and every batch live for the whole run: the CPU, a CUDA
    /// device (a CUDA build of ConvEmbed.Torch), or <c>meta</c> in tests. The commands and the service set it from
    /// their one device setting.</summary>
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>Steps between progress reports with the collapse monitor.</summary>
    public int ReportEvery { get; init; } = 20;
    /// <summary>The collapse check starts after this many steps (a fresh network may look collapsed briefly).</summary>
    public int CollapseGraceSteps { get; init; } = 200;

    public void Validate()
    {
        if (Minutes is null == Steps is null) throw new ArgumentException("give exactly one budget: minutes or steps");
        if (Minutes is <= 0) throw new ArgumentException($"minutes must be positive (was {Minutes})");
        if (Steps is <= 0) throw new ArgumentException($"steps must be positive (was {Steps})");
        if (BatchSize < 2) throw new ArgumentException($"batch size must be at least 2: the objectives contrast tracks in a batch (was {BatchSize})");
        if (WindowsPerTrack < 1 || BatchSize % WindowsPerTrack != 0 || BatchSize / WindowsPerTrack < 2)
            throw new ArgumentException($"windows per track must divide the batch into at least 2 tracks (batch {BatchSize}, windows per track {WindowsPerTrack})");
        if (WindowProblem(WindowFrames) is { } window) throw new ArgumentException(window);
        if (LearningRate is <= 0 || WeightDecay < 0 || ClipGradNorm < 0 || WarmupSteps < 0 || ReportEvery < 1)
            throw new ArgumentException("learning rate must be positive; weight decay, clipping and warm-up non-negative");
    }
}
