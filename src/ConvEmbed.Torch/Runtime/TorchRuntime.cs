using System.Runtime.InteropServices;
using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>Process-wide libtorch settings: intra-op threads, seed, what the linked libtorch supports.</summary>
public static class TorchRuntime
{
    private static int threadsConfigured;

    /// <summary>Intra-op thread count. Defaults to the machine's cores (libtorch alone would pick physical cores).</summary>
    public static int Threads
    {
        get { EnsureInitialized(); return NativeMethods.ce_get_num_threads(); }
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), "thread count must be ≥ 1");
            TorchException.Check(NativeMethods.ce_set_num_threads(value));
            Volatile.Write(ref threadsConfigured, 1);
        }
    }

    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.ce_torch_version()) ?? "unknown";
    public static bool CudaCompiled => NativeMethods.ce_cuda_compiled() == 1;
    public static bool CudaAvailable => NativeMethods.ce_cuda_available() == 1;

    /// <summary>Seeds libtorch's default generator, so random tensors and initialisations are reproducible.</summary>
    public static void ManualSeed(long seed) => TorchException.Check(NativeMethods.ce_manual_seed(seed));

    /// <summary>Applies the default thread count once, before the first tensor is made.</summary>
    internal static void EnsureInitialized()
    {
        if (Interlocked.CompareExchange(ref threadsConfigured, 1, 0) == 0)
            TorchException.Check(NativeMethods.ce_set_num_threads(Environment.ProcessorCount));
    }
}
