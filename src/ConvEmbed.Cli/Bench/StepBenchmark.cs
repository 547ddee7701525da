using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using Spectre.Console;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench step`: where the time of one training step goes, for each objective side by side in one process —
/// batch (random windows + augmentation), forward (the loss), backward, clipping, optimiser (+ DINO's EMA) — next
/// to the encoder alone (forward + backward of B windows), in fp32 and, where the CPU has native bf16 (or when
/// asked), in bf16 under autocast. Medians over interleaved steps; prints, never fails.
/// </summary>
public static class StepBenchmark
{
    public sealed record Row(string Objective, string Precision, double BatchMs, double ForwardMs, double BackwardMs, double ClipMs,
        double OptimizerMs, double TotalMs, double EncoderSteps);
    /// <summary><c>EncoderMs</c> is the fp32 encoder step; <c>EncoderMsLow</c> the one in <c>LowPrecision</c> (bf16, or fp16
    /// on CUDA) when that was measured.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, double EncoderMs, double? EncoderMsLow, string? LowPrecision, int Threads, int Batch, int Frames,
        string Encoder, string Libtorch, string PrecisionNote);

    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Timed steps per objective.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps per objective first.", DefaultValueFactory = _ => 2 };
        var threads = TrainingCliOptions.Threads();
        var batch = TrainingCliOptions.Batch();
        var frames = new Option<int>("--frames") { Description = "Frames per window (W).", DefaultValueFactory = _ => 600 };
        var encoder = TrainingCliOptions.Encoder();
        var variant = TrainingCliOptions.Variant();
        var json = TrainingCliOptions.Json();
        var precision = TrainingCliOptions.Precision();
        var device = TrainingCliOptions.Device();
        var command = new Command("step", "Break one training step of ConvEmbed and DINO into its parts, in fp32 and bf16 where the CPU has it (random data, no folder needed).")
        {
            steps, warmup, threads, batch, frames, encoder, variant, precision, device, json,
        };
        OptionChecks.Must(steps, v => v >= 1, "must be at least 1");
        OptionChecks.Must(warmup, v => v >= 0, "must not be negative");
        OptionChecks.Must(frames, v => TrainingOptions.WindowProblem(v) is null, $"must be between {TrainingOptions.MinWindowFrames} and {TrainingOptions.MaxWindowFrames} frames");
        var dinoOptions = new DinoOptions();
        dinoOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var config = EncoderConfig.FromPreset(parse.GetValue(encoder)!);
            var options = new TrainingOptions
            {
                BatchSize = parse.GetValue(batch), WindowFrames = parse.GetValue(frames), Steps = 1, Device = TrainingCliOptions.ReadDevice(parse, device),
            };
            var dino = dinoOptions.Read(parse);
            var specs = new[]
            {
                new RunSpec(ObjectiveFactory.ConvEmbed, Variants.Parse(parse.GetValue(variant)!), config, dino),
                new RunSpec(ObjectiveFactory.Dino, Variant.InfoNce, config, dino),
            };
            // fp32 always; the lower precision next to it when the decision (auto with bf16 on the CPU or GPU, fp16 on an
            // older GPU, or asked for) says so.
            var chosen = TrainingCliOptions.ReadPrecision(parse, precision, device: options.Device);
            var precisions = chosen.Autocast ? new[] { Precision.Fp32, chosen.Precision } : [Precision.Fp32];
            var low = Precisions.Name(chosen.Precision);
            var note = chosen.Autocast ? $"fp32 and {low} ({chosen.Reason})" : $"fp32 only ({chosen.Reason}; --precision bf16 measures bf16 anyway)";
            var result = Run(specs, options, precisions, parse.GetValue(warmup), parse.GetValue(steps), note);
            Print(result);
            BenchmarkJson.Write(parse.GetValue(json), result);
            return 0;
        });
        return command;
    }

    private const int Bands = 64;

    public static Result Run(IReadOnlyList<RunSpec> specs, TrainingOptions options, IReadOnlyList<Precision> precisions, int warmup, int steps, string note)
    {
        var config = specs[0].Encoder;
        // The trainer's own step on random windows: a budget that outlasts the benchmark keeps it out of its last step.
        var source = new RandomWindows(Bands);
        var runs = precisions.SelectMany(p => specs.Select(s => (Spec: s, Precision: p))).ToList();
        var objectives = runs.Select(r => r.Spec.Create(options.Seed)).ToList();
        var trainers = runs.Select((r, i) => new Trainer(objectives[i], source, new Augmentation(1.0),
            options with { Steps = warmup + steps + 1, Minutes = null, Precision = r.Precision })).ToList();
        using var encoder = new Encoder(config);
        encoder.to(options.Device);
        var times = runs.Select(_ => new List<double[]>()).ToList();
        var encoderMs = precisions.Select(_ => new List<double>()).ToList();
        var sides = runs.Count + precisions.Count;
        try
        {
            foreach (var o in objectives) o.train();
            for (var i = 0; i < warmup + steps; i++)
            {
                // Rotate which side goes first, so none always runs on a warmer cache.
                for (var j = 0; j < sides; j++)
                {
                    var k = (i + j) % sides;
                    if (k >= runs.Count)
                    {
                        var ms = EncoderStep(encoder, options, precisions[k - runs.Count]);
                        if (i >= warmup) encoderMs[k - runs.Count].Add(ms);
                        continue;
                    }
                    var parts = TimedStep(trainers[k]);
                    if (i >= warmup) times[k].Add(parts);
                }
            }
        }
        finally
        {
            foreach (var t in trainers) t.Dispose();
            foreach (var o in objectives) o.Dispose();
        }
        var encoderMedian = precisions.Select((p, i) => (p, Median: Medians.Of(encoderMs[i]))).ToDictionary(x => x.p, x => x.Median);
        var rows = runs.Select((r, k) =>
        {
            var m = Enumerable.Range(0, 5).Select(p => Medians.Of(times[k].Select(t => t[p]).ToList())).ToArray();
            var total = Medians.Of(times[k].Select(t => t.Sum()).ToList());
            return new Row(r.Spec.Name, Precisions.Name(r.Precision), m[0], m[1], m[2], m[3], m[4], total, total / encoderMedian[r.Precision]);
        }).ToList();
        var lower = precisions.Where(p => p != Precision.Fp32).Select(p => (Precision?)p).FirstOrDefault();
        return new Result(rows, encoderMedian[Precision.Fp32], lower is { } l ? encoderMedian[l] : null, lower is { } n ? Precisions.Name(n) : null,
            TorchRuntime.Threads, options.BatchSize, options.WindowFrames, config.Describe(), TorchRuntime.Version, note);
    }

    /// <summary>One step of the trainer, timed part by part through its lap hook (ms per <see cref="StepPart"/>).</summary>
    private static double[] TimedStep(Trainer trainer)
    {
        var t = new double[Enum.GetValues<StepPart>().Length];
        var clock = Stopwatch.GetTimestamp();
        trainer.TakeStep(part =>
        {
            var now = Stopwatch.GetTimestamp();
            t[(int)part] = Stopwatch.GetElapsedTime(clock, now).TotalMilliseconds;
            clock = now;
        });
        return t;
    }

    /// <summary>Windows of unit variance (log-mels are normalised to it); timings do not depend on the values.</summary>
    private sealed class RandomWindows(int bands) : IBatchSource
    {
        public int Bands => bands;
        public void SampleWindows(Span<float> destination, int batch, int frames, Random random, int windowsPerTrack = 1, Span<int> tracks = default)
        {
            Fill(destination, random);
            tracks.Fill(-1);
        }
        public void SampleMultiCrop(Span<float> globals, Span<float> locals, int batch, int frames, int localCrops, Random random)
        {
            Fill(globals, random);
            Fill(locals, random);
        }
        public void ProbeWindows(Span<float> destination, int batch, int frames) => Fill(destination, new Random(0));

        private static void Fill(Span<float> destination, Random random)
        {
            const float halfWidth = 1.7320508f; // uniform on ±√3 has variance 1
            for (var i = 0; i < destination.Length; i++) destination[i] = (random.NextSingle() * 2 - 1) * halfWidth;
        }
    }

    /// <summary>The encoder alone on B windows: forward (under autocast for bf16/fp16), mean, backward (no head, loss or optimiser).</summary>
    private static double EncoderStep(Encoder encoder, TrainingOptions options, Precision precision)
    {
        using var scope = Torch.Torch.NewDisposeScope();
        using var x = Torch.Torch.randn([options.BatchSize, Bands, options.WindowFrames], device: options.Device);
        var started = Stopwatch.GetTimestamp();
        foreach (var p in encoder.parameters()) p.ZeroGrad();
        Tensor loss;
        using (Precisions.Autocasts(precision) ? Torch.Torch.autocast(options.Device.Type, Precisions.AutocastType(precision)) : null)
            loss = encoder.forward(x).@float().mean();
        loss.Backward();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }


    private static void Print(Result r)
    {
        Console.WriteLine($"{r.Encoder}; batch {r.Batch} × {Bands} mel × {r.Frames} frames; libtorch {r.Libtorch}, {r.Threads} threads; medians in ms; {r.PrecisionNote}");
        var table = new Table().AddColumns("objective", "precision", "batch", "forward", "backward", "clip", "optimiser", "total", "steps/s", "× encoder step");
        foreach (var row in r.Rows)
            table.AddRow(row.Objective, row.Precision, F(row.BatchMs), F(row.ForwardMs), F(row.BackwardMs), F(row.ClipMs), F(row.OptimizerMs), F(row.TotalMs),
                (1000 / row.TotalMs).ToString("0.00", CultureInfo.InvariantCulture), row.EncoderSteps.ToString("0.00", CultureInfo.InvariantCulture));
        foreach (var (name, ms) in new[] { ("fp32", (double?)r.EncoderMs), (r.LowPrecision ?? "", r.EncoderMsLow) })
            if (ms is { } e)
                table.AddRow("encoder only", name, "-", "-", "-", "-", "-", F(e), (1000 / e).ToString("0.00", CultureInfo.InvariantCulture), "1.00");
        AnsiConsole.Write(table);
        foreach (var precision in r.Rows.Select(x => x.Precision).Distinct())
        {
            var rows = r.Rows.Where(x => x.Precision == precision).ToList();
            if (rows.Count == 2)
                Console.WriteLine($"{precision}: steps/s ratio {rows[0].Objective} / {rows[1].Objective} = {rows[1].TotalMs / rows[0].TotalMs:0.00}×");
        }
        foreach (var objective in r.Rows.Select(x => x.Objective).Distinct())
        {
            var fp32 = r.Rows.FirstOrDefault(x => x.Objective == objective && x.Precision == "fp32");
            var low = r.Rows.FirstOrDefault(x => x.Objective == objective && x.Precision == r.LowPrecision);
            if (fp32 is not null && low is not null)
                Console.WriteLine($"{objective}: {low.Precision} steps/s = {fp32.TotalMs / low.TotalMs:0.00}× fp32");
        }
    }

    private static string F(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}
