using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Optim;
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
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: cores)." };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => 32 };
        var frames = new Option<int>("--frames") { Description = "Frames per window (W).", DefaultValueFactory = _ => 600 };
        var encoder = new Option<string>("--encoder") { Description = "Encoder preset: rf0.1, rf0.2, rf1, rf3.", DefaultValueFactory = _ => EncoderConfig.DefaultPreset };
        encoder.AcceptOnlyFromAmong(EncoderConfig.Presets.Keys.ToArray());
        var variant = new Option<string>("--variant") { Description = "ConvEmbed loss variant.", DefaultValueFactory = _ => "infonce" };
        variant.AcceptOnlyFromAmong(Enum.GetValues<Variant>().Select(v => v.Name()).ToArray());
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file." };
        var command = new Command("step", "Break one training step of ConvEmbed and DINO into its parts (random data, no folder needed).")
        {
            steps, warmup, threads, batch, frames, encoder, variant, json,
        };
        OptionChecks.Must(steps, v => v >= 1, "must be at least 1");
        OptionChecks.Must(warmup, v => v >= 0, "must not be negative");
        OptionChecks.Must(batch, v => v >= 2, "must be at least 2");
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
        var objectives = specs.Select(s => s.Create(options.Seed)).ToList();
        var optimizers = objectives.Select(o => AdamW.ForParameters(o.TrainableParameters.Select(p => p.Tensor), options.LearningRate, options.WeightDecay)).ToList();
        using var encoder = new Encoder(config);
        var augmentation = new Augmentation(1.0);
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
                    var parts = Step(objectives[k], optimizers[k], augmentation, options);
                    if (i >= warmup) times[k].Add(parts);
                }
            }
        }
        finally
        {
            foreach (var o in optimizers) o.Dispose();
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

    /// <summary>One step as the trainer takes it, the parts timed: batch, forward, backward, clip, optimiser.</summary>
    private static double[] Step(Objective objective, AdamW optimizer, Augmentation augmentation, TrainingOptions options)
    {
        int b = options.BatchSize, w = options.WindowFrames;
        var t = new double[5];
        var clock = Stopwatch.GetTimestamp();
        void Lap(int part)
        {
            var now = Stopwatch.GetTimestamp();
            t[part] = Stopwatch.GetElapsedTime(clock, now).TotalMilliseconds;
            clock = now;
        }
        using var scope = Torch.Torch.NewDisposeScope();
        TrainingBatch batch;
        if (objective is DinoObjective dino)
        {
            var locals = dino.Settings.LocalCrops;
            batch = new TrainingBatch(b, Globals: augmentation.Apply(Torch.Torch.randn([2L * b, Bands, w])),
                Locals: locals > 0 ? augmentation.Apply(Torch.Torch.randn([(long)locals * b, Bands, w / 4])) : null);
        }
        else batch = new TrainingBatch(b, Windows: augmentation.Apply(Torch.Torch.randn([b, Bands, w])));
        Lap(0);
        var loss = objective.Loss(batch);
        Lap(1);
        optimizer.zero_grad();
        loss.Backward();
        Lap(2);
        if (options.ClipGradNorm > 0) GradientClipping.clip_grad_norm_(objective.TrainableParameters.Select(p => p.Tensor), options.ClipGradNorm);
        Lap(3);
        objective.BeforeOptimizerStep(0.5);
        optimizer.step();
        objective.AfterStep(0.5);
        Lap(4);
        return t;
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
