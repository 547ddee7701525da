using System.Runtime.InteropServices;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// The encoder's training step written directly in C++ against libtorch (native/encoder_bench.cpp, built into
/// libconvembed_bench.so next to this program): the baseline that measures what the binding costs. The layers are
/// <see cref="EncoderConfig.Layers"/>, so both sides train the same network. One instance keeps its network,
/// optimizer and batch.
/// </summary>
public sealed unsafe partial class NativeEncoderBenchmark : IDisposable
{
    private const string Lib = "convembed_bench";
    private IntPtr handle;

    public NativeEncoderBenchmark(EncoderConfig config, long batch, long frames, long seed)
    {
        _ = TorchRuntime.Version; // libtorch is loaded through the binding first (its search path and thread settings)
        var layers = config.Layers.SelectMany(l => new long[] { l.InChannels, l.OutChannels, l.Kernel, l.Stride, l.Dilation, l.NormAndActivation ? 1 : 0 }).ToArray();
        fixed (long* p = layers)
            handle = ce_bench_encoder_create(batch, frames, config.Layers.Count, p, seed);
        if (handle == IntPtr.Zero) throw new TorchException($"native encoder benchmark: {LastError()}");
    }

    /// <summary>Runs one step natively; returns its wall time in milliseconds as measured in C++.</summary>
    public double Step(out double loss)
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
        double l;
        var ms = ce_bench_encoder_step(handle, &l);
        if (ms < 0) throw new TorchException($"native encoder benchmark: {LastError()}");
        loss = l;
        return ms;
    }

    public void Dispose()
    {
        if (handle == IntPtr.Zero) return;
        ce_bench_encoder_free(handle);
        handle = IntPtr.Zero;
    }

    private static string LastError() => Marshal.PtrToStringUTF8(ce_bench_last_error()) ?? "unknown error";

    [LibraryImport(Lib)] private static partial IntPtr ce_bench_last_error();
    [LibraryImport(Lib)] private static partial IntPtr ce_bench_encoder_create(long batch, long frames, int layerCount, long* layers, long seed);
    [LibraryImport(Lib)] private static partial double ce_bench_encoder_step(IntPtr bench, double* loss);
    [LibraryImport(Lib)] private static partial void ce_bench_encoder_free(IntPtr bench);
}
