using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch.Benchmarks;

/// <summary>
/// The reference encoder's training step written directly in C++ against libtorch (native/bench/encoder_bench.cpp),
/// the baseline that measures what the binding costs. One instance keeps its network, optimizer and batch.
/// </summary>
public sealed unsafe class NativeEncoderBenchmark : IDisposable
{
    private IntPtr handle;

    public NativeEncoderBenchmark(long batch, long mel, long frames, long channels, long seed)
    {
        TorchRuntime.EnsureInitialized();
        handle = NativeMethods.ce_bench_encoder_create(batch, mel, frames, channels, seed);
        if (handle == IntPtr.Zero) throw TorchException.FromNative();
    }

    /// <summary>Runs one step natively; returns its wall time in milliseconds as measured in C++.</summary>
    public double Step(out double loss)
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
        double l;
        var ms = NativeMethods.ce_bench_encoder_step(handle, &l);
        if (ms < 0) throw TorchException.FromNative();
        loss = l;
        return ms;
    }

    public void Dispose()
    {
        if (handle == IntPtr.Zero) return;
        NativeMethods.ce_bench_encoder_free(handle);
        handle = IntPtr.Zero;
    }
}
