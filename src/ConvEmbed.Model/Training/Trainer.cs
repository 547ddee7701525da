using System.Diagnostics;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Model.Training;

/// <summary>
/// The training loop, one readable method: sample windows → augment → loss → backward → clip → AdamW step →
/// objective's after-step (DINO's EMA). Everything random is re-seeded from (seed, step) every step, so a run
/// is reproducible for a fixed thread count and precision, and <c>--resume</c> continues it exactly.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly Objective objective;
    private readonly IBatchSource data;
    private readonly Augmentation augmentation;
    private readonly TrainingOptions options;
    private readonly List<(string Name, Tensor Tensor)> trainable;
    private readonly CollapseMonitor monitor;
    private readonly float[] windows, globals, locals;
    private readonly int[] windowTracks;

    /// <summary>A run of <paramref name="objective"/> on windows from <paramref name="data"/>, augmented by
    /// <paramref name="augmentation"/>, as <paramref name="options"/> say.</summary>
    /// <param name="objective">What is trained (moved to the options' device here).</param>
    /// <param name="data">Where windows come from.</param>
    /// <param name="augmentation">Gain, noise and chunk views applied to every batch.</param>
    /// <param name="options">Budget, batch, learning rate, device, precision.</param>
    /// <param name="scaler">Loss scaling; by default one exactly when the precision is fp16 (tests pass one to run
    /// the scaled path in fp32 on a CPU).</param>
    public Trainer(Objective objective, IBatchSource data, Augmentation augmentation, TrainingOptions options, GradScaler? scaler = null)
    {
        options.Validate();
        augmentation.Chunks?.Validate();
        (this.objective, this.data, this.augmentation, this.options) = (objective, data, augmentation, options);
        Device = options.Device;
        Precision = PrecisionChoice.For(options.Precision, Device);
        Scaler = scaler ?? (Precision.ScalesLoss ? new GradScaler() : null);
        // One device for the run: the networks (and DINO's teacher and centre, which are buffers) move before the
        // optimiser sees their parameters; AdamW creates its moments beside each parameter.
        objective.to(Device);
        trainable = objective.TrainableParameters.ToList();
        // No weight decay on norms and biases (1-D parameters), as in DINO (docs/method.md#training).
        Optimizer = AdamW.ForParameters(trainable.Select(p => p.Tensor), options.PeakLearningRate, options.WeightDecay);
        int b = options.BatchSize, w = options.WindowFrames, bands = data.Bands;
        var localCrops = objective.LocalCrops;
        windows = objective.UsesMultiCrop ? [] : new float[b * bands * w];
        windowTracks = objective.UsesMultiCrop ? [] : new int[b];
        globals = objective.UsesMultiCrop ? new float[2 * b * bands * w] : [];
        locals = objective.UsesMultiCrop ? new float[localCrops * b * bands * (w / 4)] : [];
        var probe = new float[b * bands * w];
        data.ProbeWindows(probe, b, w);
        monitor = new CollapseMonitor(Torch.Torch.tensor<float>(probe, [b, bands, w], Device));
        // Window equivalents per step (W frames each): DINO's 2 globals + N locals of W/4.
        WindowsPerStep = objective.UsesMultiCrop ? b * (2 + localCrops / 4.0) : b;
    }

    public AdamW Optimizer { get; }
    /// <summary>Where the run's tensors live (<see cref="TrainingOptions.Device"/>).</summary>
    public Device Device { get; }
    /// <summary>The precision the forward passes run in, and why (print it at the start of a run).</summary>
    public PrecisionChoice Precision { get; }
    /// <summary>The loss scaler of an fp16 run (null otherwise): a step whose gradients overflow is skipped.</summary>
    public GradScaler? Scaler { get; }
    public int Step { get; private set; }
    public double Seconds { get; private set; }
    public double WindowsPerStep { get; }
    public TrainingProgress? Last { get; private set; }
    public IReadOnlyList<(string Name, Tensor Tensor)> TrainableParameters => trainable;

    public double Fraction => options.Steps is { } steps ? (double)Step / steps : Seconds / (options.Minutes!.Value * 60);
    public bool Done => Fraction >= 1;

    /// <summary>Continues a saved run at <paramref name="step"/> after <paramref name="seconds"/> of training.</summary>
    public void Restore(int step, double seconds) => (Step, Seconds) = (step, seconds);

    /// <summary>
    /// Trains until the budget is spent. <paramref name="atMark"/> is called (outside the timed budget) each time
    /// training time passes one of <paramref name="marksMinutes"/>, e.g. to evaluate.
    /// </summary>
    public void Run(IProgress<TrainingProgress>? progress = null, IReadOnlyList<double>? marksMinutes = null,
        Action<double>? atMark = null, CancellationToken cancellationToken = default)
    {
        var marks = new Queue<double>((marksMinutes ?? []).Where(m => m * 60 > Seconds).Order());
        objective.train();
        while (!Done)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (loss, lr) = TakeStep();

            var report = Step % options.ReportEvery == 0 || Done;
            double? std = report ? monitor.Measure(objective.EmbeddingEncoder) : null;
            Last = new TrainingProgress(Step, Seconds, Math.Min(1, Fraction), loss, lr, Step / Seconds, Step * WindowsPerStep / Seconds, std);
            if (report) progress?.Report(Last);
            var channels = objective.EmbeddingEncoder.Config.Channels;
            if (std is { } s && Step >= options.CollapseGraceSteps && monitor.IsCollapsed(s, channels))
                throw new TrainingCollapsedException(
                    $"training collapsed at step {Step}: embedding std {s:0.0000} (healthy ≈ 1/√{channels} = {1 / Math.Sqrt(channels):0.0000}); " +
                    "use the default objective (--variant infonce), a lower learning rate, or a larger batch");
            while (marks.Count > 0 && Seconds >= marks.Peek() * 60) atMark?.Invoke(marks.Dequeue());
        }
        while (marks.Count > 0) atMark?.Invoke(marks.Dequeue()); // budget ended before a mark: report at the end
    }

    /// <summary>
    /// One training step (the objective must be in training mode): batch → loss → backward → clip → AdamW →
    /// the objective's after-step. With a <see cref="Scaler"/> (fp16) the loss is scaled before backward and the
    /// gradients unscaled before clipping; a step whose gradients overflowed skips AdamW (the after-step still runs,
    /// as DINO's teacher update does in PyTorch's recipe) and halves the scale. <paramref name="lap"/> is called as each part ends (how <c>bench step</c> times
    /// the trainer's own step). Returns the loss and the learning rate used.
    /// </summary>
    public (double Loss, double LearningRate) TakeStep(Action<StepPart>? lap = null)
    {
        var started = Stopwatch.GetTimestamp();
        var fraction = Fraction;
        var lr = Schedules.LearningRate(options.PeakLearningRate, Step, options.WarmupSteps, fraction);
        Optimizer.SetLearningRate(lr);
        double loss;
        using (Torch.Torch.NewDisposeScope())
        {
            var lossTensor = Forward(lap);
            Optimizer.zero_grad();
            (Scaler?.scale(lossTensor) ?? lossTensor).Backward();
            lap?.Invoke(StepPart.Backward);
            var parameters = trainable.Select(p => p.Tensor);
            // With a scaler, unscaling measures the global norm: clipping reuses it instead of reading it back again.
            var norm = Scaler?.unscale_(parameters) ?? 0;
            if (options.ClipGradNorm > 0)
            {
                if (Scaler is null) GradientClipping.clip_grad_norm_(parameters, options.ClipGradNorm);
                else if (double.IsFinite(norm)) GradientClipping.clip_grad_norm_(parameters, options.ClipGradNorm, norm);
            }
            lap?.Invoke(StepPart.Clip);
            if (Scaler is null) Optimizer.step();
            else Scaler.step(Optimizer, norm);
            objective.AfterStep(fraction);
            loss = lossTensor.item();
            lap?.Invoke(StepPart.Optimizer);
        }
        Step++;
        Seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!double.IsFinite(loss))
            throw new TrainingCollapsedException($"the loss became {loss} at step {Step}; a smaller batch lowers the learning rate, which scales with it");
        return (loss, lr);
    }

    private TrainingBatch NextBatch(Random random)
    {
        int b = options.BatchSize, w = options.WindowFrames, bands = data.Bands;
        if (!objective.UsesMultiCrop)
        {
            Array.Fill(windowTracks, -1); // a source that does not know its tracks leaves them unknown, not all track 0
            data.SampleWindows(windows, b, w, random, options.WindowsPerTrack, windowTracks);
            augmentation.Chunks?.Apply(windows, b, bands, w, random);
            return new TrainingBatch(b, Windows: augmentation.Apply(OnDevice(windows, b, bands, w)), WindowsPerTrack: options.WindowsPerTrack,
                Tracks: (int[])windowTracks.Clone());
        }
        var localCrops = locals.Length / (b * bands * (w / 4));
        data.SampleMultiCrop(globals, locals, b, w, localCrops, random);
        var g = augmentation.Apply(OnDevice(globals, 2L * b, bands, w));
        var l = localCrops > 0 ? augmentation.Apply(OnDevice(locals, (long)localCrops * b, bands, w / 4)) : null;
        return new TrainingBatch(b, Globals: g, Locals: l);
    }

    /// <summary>Host windows to the run's device in one copy per step (per crop size for DINO).</summary>
    private Tensor OnDevice(float[] host, params long[] shape) => Torch.Torch.tensor<float>(host, shape, Device);

    /// <summary>The first training step's forward pass and loss only (no backward, no optimiser): what runs on the
    /// <c>meta</c> device, where libtorch 1.13 has no convolution backward. Tests prove placement with it.</summary>
    public Tensor ForwardLoss()
    {
        objective.train();
        return Forward(null);
    }

    // This step's batch (re-seeded from (seed, step)) and its loss: forward under autocast (bf16/fp16); backward and the
    // optimiser run outside it, on fp32 parameters.
    private Tensor Forward(Action<StepPart>? lap)
    {
        var seed = unchecked(options.Seed * 1_000_003L + Step);
        Torch.Torch.manual_seed(seed);
        var batch = NextBatch(new Random((int)(seed & int.MaxValue)));
        lap?.Invoke(StepPart.Batch);
        Tensor loss;
        using (Precision.Autocast ? Torch.Torch.autocast(Device.Type, Precision.AutocastType) : null)
            loss = objective.Loss(batch);
        lap?.Invoke(StepPart.Forward);
        return loss;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        monitor.Dispose();
    }
}
