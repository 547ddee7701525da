using System.CommandLine;
using System.Diagnostics;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench engine`: one training step of the encoder (a preset of <see cref="EncoderConfig"/>; `--encoder rf0.2` is the
/// original design's encoder, docs/method.md#encoder-presets) through ConvEmbed.Torch against the same step written in C++ on libtorch
/// (<see cref="NativeEncoderBenchmark"/>), interleaved in one process at the same thread count. Prints medians and
/// their ratio (binding / native; target ≤ 1.10); never fails on time.
/// </summary>
public static class EngineBenchmark
{
    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Write results as JSON to this file." };
        var steps = new Option<int>("--steps") { Description = "Timed steps per side.", DefaultValueFactory = _ => 8 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps per side first.", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var batch = new Option<int>("--batch") { Description = "Windows per batch.", DefaultValueFactory = _ => 32 };
        var frames = new Option<int>("--frames") { Description = "Frames per window.", DefaultValueFactory = _ => 600 };
        var encoderPreset = TrainingCliOptions.Encoder();
        var cmd = new Command("engine", "Training step of the encoder: ConvEmbed.Torch binding vs native libtorch C++.");
        foreach (var o in new Option[] { json, steps, warmup, threads, batch, frames, encoderPreset }) cmd.Options.Add(o);
        cmd.SetAction(r => Run(r.GetValue(json), r.GetValue(steps), r.GetValue(warmup), r.GetValue(threads), r.GetValue(batch), r.GetValue(frames),
            EncoderConfig.FromPreset(r.GetValue(encoderPreset)!)));
        return cmd;
    }

    private static void Run(string? jsonPath, int steps, int warmup, int threads, int batch, int frames, EncoderConfig config)
    {
        TorchRuntime.Threads = threads;
        int mel = config.Layers[0].InChannels, channels = config.Channels;
        Console.WriteLine($"libtorch {TorchRuntime.Version}, {TorchRuntime.Threads} threads; batch {batch} × {mel} mel × {frames} frames; {config.Describe()}; AdamW");
        using var native = new NativeEncoderBenchmark(config, batch, frames, seed: 0);
        Torch.Torch.manual_seed(0);
        using var encoder = new Encoder(config);
        using var opt = AdamW.ForModule(encoder, lr: 1e-3, weightDecay: 0.04);
        using var x = Torch.Torch.randn([batch, mel, frames]);

        var bindingMs = new List<double>();
        var nativeMs = new List<double>();
        double bindingLoss = 0, nativeLoss = 0;
        for (var i = 0; i < warmup + steps; i++)
        {
            // Alternate which side goes first, so neither always runs on a warmer cache.
            double b, n;
            if (i % 2 == 0) { b = BindingStep(encoder, opt, x, out bindingLoss); n = native.Step(out nativeLoss); }
            else { n = native.Step(out nativeLoss); b = BindingStep(encoder, opt, x, out bindingLoss); }
            if (i < warmup) continue;
            bindingMs.Add(b);
            nativeMs.Add(n);
            Console.WriteLine($"step {i - warmup + 1,3}: binding {b,8:F1} ms   native {n,8:F1} ms   (loss {bindingLoss:F4} / {nativeLoss:F4})");
        }
        var result = new EngineBenchmarkResult(Medians.Of(bindingMs), Medians.Of(nativeMs), Medians.Of(bindingMs) / Medians.Of(nativeMs),
            TorchRuntime.Threads, batch, mel, frames, channels, steps, TorchRuntime.Version, bindingMs, nativeMs);
        Console.WriteLine();
        Console.WriteLine($"{"",-10}{"median ms",12}");
        Console.WriteLine($"{"binding",-10}{result.BindingMs,12:F1}");
        Console.WriteLine($"{"native",-10}{result.NativeMs,12:F1}");
        Console.WriteLine($"ratio binding/native = {result.Ratio:F3} (target ≤ 1.10), threads = {result.Threads}");
        BenchmarkJson.Write(jsonPath, result);
    }

    /// <summary>The same step as native/encoder_bench.cpp: zero grads, forward, MSE-to-zero loss, backward, AdamW.</summary>
    private static double BindingStep(Encoder encoder, AdamW opt, Tensor x, out double loss)
    {
        var sw = Stopwatch.StartNew();
        using (var scope = DisposeScope.Enter())
        {
            opt.zero_grad();
            var l = encoder.forward(x).square().mean();
            l.Backward();
            opt.step();
            loss = l.item();
        }
        return sw.Elapsed.TotalMilliseconds;
    }

}
