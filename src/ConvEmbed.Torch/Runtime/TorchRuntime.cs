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
            EnsureInitialized();
            TorchException.Check(NativeMethods.ce_set_num_threads(value));
        }
    }

    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.ce_torch_version()) ?? "unknown";
    public static bool CudaCompiled => NativeMethods.ce_cuda_compiled() == 1;
    /// <summary>Whether a CUDA device can be used. A failing query (broken driver) counts as no, with the reason in <see cref="CudaProblem"/>.</summary>
    public static bool CudaAvailable
    {
        get
        {
            var answer = NativeMethods.ce_cuda_available();
            CudaProblem = answer < 0 ? Marshal.PtrToStringUTF8(NativeMethods.ce_last_error()) : null;
            return answer == 1;
        }
    }

    /// <summary>Whether the CUDA device computes in bf16 natively (compute capability 8.0+ with cuDNN 8, as libtorch's
    /// CUDA hooks report it); false with a CPU-only libtorch, without a device, or when the query fails.</summary>
    public static bool CudaBf16Supported => CudaAvailable && NativeMethods.ce_cuda_bf16_supported() == 1;

    /// <summary>Why the last CUDA query failed, when it did (null when it answered).</summary>
    public static string? CudaProblem { get; private set; }

    /// <summary>Seeds libtorch's default generator, so random tensors and initialisations are reproducible.</summary>
    public static void ManualSeed(long seed) => TorchException.Check(NativeMethods.ce_manual_seed(seed));

    /// <summary>Applies the default thread count once, before the first tensor is made.</summary>
    internal static void EnsureInitialized()
    {
        if (Interlocked.CompareExchange(ref threadsConfigured, 1, 0) != 0) return;
        KeepLargeBlocksInHeap();
        TorchException.Check(NativeMethods.ce_set_num_threads(Environment.ProcessorCount));
    }

    /// <summary>
    /// A training step allocates and frees the same tens-of-megabyte activation buffers every step. glibc serves such
    /// blocks with mmap and returns them with munmap, so each step pays again for zero-filled pages; raising the mmap
    /// threshold to its maximum (32 MiB) and not trimming the heap lets freed blocks be reused. Measured with
    /// `bench engine`: it removes most of the step-to-step variance on 2 cores. Process-wide, so both sides of the
    /// benchmark get it.
    /// </summary>
    private static void KeepLargeBlocksInHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
        try
        {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
            mallopt(M_TRIM_THRESHOLD, int.MaxValue);
            mallopt(M_TOP_PAD, 64 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (for instance musl): keep the allocator's defaults.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
