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
/// to the encoder alone (forward + backward of B windows). Medians over interleaved steps; prints, never fails.
/// </summary>
public static class StepBenchmark
{
    public sealed record Row(string Objective, double BatchMs, double ForwardMs, double BackwardMs, double ClipMs, double OptimizerMs,
        double TotalMs, double EncoderSteps);
    public sealed record Result(IReadOnlyList<Row> Rows, double EncoderMs, int Threads, int Batch, int Frames, string Encoder, string Libtorch);

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
        var command = new Command("step", "Break one training step of ConvEmbed and DINO into its parts (random data, no folder needed).")
        {
            steps, warmup, threads, batch, frames, encoder, variant, json,
        };
        OptionChecks.Must(steps, v => v >= 1, "must be at least 1");
        OptionChecks.Must(warmup, v => v >= 0, "must not be negative");
        OptionChecks.Must(frames, v => v >= 32, "must be at least 32");
        var dinoOptions = new DinoOptions();
        dinoOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var config = EncoderConfig.FromPreset(parse.GetValue(encoder)!);
            var options = new TrainingOptions { BatchSize = parse.GetValue(batch), WindowFrames = parse.GetValue(frames), Steps = 1 };
            var dino = dinoOptions.Read(parse);
            var specs = new[]
            {
                new RunSpec(ObjectiveFactory.ConvEmbed, Variants.Parse(parse.GetValue(variant)!), config, dino),
                new RunSpec(ObjectiveFactory.Dino, Variant.InfoNce, config, dino),
            };
            var result = Run(specs, options, parse.GetValue(warmup), parse.GetValue(steps));
            Print(result);
            BenchmarkJson.Write(parse.GetValue(json), result);
            return 0;
        });
        return command;
    }

    private const int Bands = 64;

    public static Result Run(IReadOnlyList<RunSpec> specs, TrainingOptions options, int warmup, int steps)
    {
        var config = specs[0].Encoder;
        // The trainer's own step on random windows: a budget that outlasts the benchmark keeps it out of its last step.
        var budget = options with { Steps = warmup + steps + 1, Minutes = null };
        var source = new RandomWindows(Bands);
        var objectives = specs.Select(s => s.Create(options.Seed)).ToList();
        var trainers = objectives.Select(o => new Trainer(o, source, new Augmentation(1.0), budget)).ToList();
        using var encoder = new Encoder(config);
        var times = specs.Select(_ => new List<double[]>()).ToList();
        var encoderMs = new List<double>();
        try
        {
            foreach (var o in objectives) o.train();
            for (var i = 0; i < warmup + steps; i++)
            {
                // Rotate which side goes first, so none always runs on a warmer cache.
                for (var j = 0; j < objectives.Count + 1; j++)
                {
                    var k = (i + j) % (objectives.Count + 1);
                    if (k == objectives.Count)
                    {
                        var ms = EncoderStep(encoder, options);
                        if (i >= warmup) encoderMs.Add(ms);
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
        var encoderMedian = Medians.Of(encoderMs);
        var rows = specs.Select((s, k) =>
        {
            var m = Enumerable.Range(0, 5).Select(p => Medians.Of(times[k].Select(t => t[p]).ToList())).ToArray();
            var total = Medians.Of(times[k].Select(t => t.Sum()).ToList());
            return new Row(s.Name, m[0], m[1], m[2], m[3], m[4], total, total / encoderMedian);
        }).ToList();
        return new Result(rows, encoderMedian, TorchRuntime.Threads, options.BatchSize, options.WindowFrames, config.Describe(), TorchRuntime.Version);
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
        public void SampleWindows(Span<float> destination, int batch, int frames, Random random) => Fill(destination, random);
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

    /// <summary>The encoder alone on B windows: forward, mean, backward (no head, loss or optimiser).</summary>
    private static double EncoderStep(Encoder encoder, TrainingOptions options)
    {
        using var scope = Torch.Torch.NewDisposeScope();
        using var x = Torch.Torch.randn([options.BatchSize, Bands, options.WindowFrames]);
        var started = Stopwatch.GetTimestamp();
        foreach (var p in encoder.parameters()) p.ZeroGrad();
        encoder.forward(x).mean().Backward();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }


    private static void Print(Result r)
    {
        Console.WriteLine($"{r.Encoder}; batch {r.Batch} × {Bands} mel × {r.Frames} frames; libtorch {r.Libtorch}, {r.Threads} threads; medians in ms");
        var table = new Table().AddColumns("objective", "batch", "forward", "backward", "clip", "optimiser", "total", "steps/s", "× encoder step");
        foreach (var row in r.Rows)
            table.AddRow(row.Objective, F(row.BatchMs), F(row.ForwardMs), F(row.BackwardMs), F(row.ClipMs), F(row.OptimizerMs), F(row.TotalMs),
                (1000 / row.TotalMs).ToString("0.00", CultureInfo.InvariantCulture), row.EncoderSteps.ToString("0.00", CultureInfo.InvariantCulture));
        table.AddRow("encoder only", "-", "-", "-", "-", "-", F(r.EncoderMs), (1000 / r.EncoderMs).ToString("0.00", CultureInfo.InvariantCulture), "1.00");
        AnsiConsole.Write(table);
        if (r.Rows.Count == 2)
            Console.WriteLine($"steps/s ratio {r.Rows[0].Objective} / {r.Rows[1].Objective} = {r.Rows[1].TotalMs / r.Rows[0].TotalMs:0.00}×");
    }

    private static string F(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}
