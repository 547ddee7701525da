using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>
/// The precision training computes in. <see cref="Bf16"/> runs the forward pass under libtorch's autocast
/// (convolutions and matrix products in bfloat16, losses in fp32); <see cref="Fp16"/> does the same in float16 on CUDA
/// and scales the loss (<see cref="ConvEmbed.Torch.Optim.GradScaler"/>) so small gradients survive fp16's narrow range;
/// parameters, gradients, optimiser state and checkpoints stay fp32 either way. <see cref="Auto"/> picks bf16 where the
/// hardware runs it natively, fp16 on a CUDA device without bf16, else fp32.
/// </summary>
public enum Precision
{
    Auto,
    Fp32,
    Bf16,
    Fp16,
}

/// <summary>A precision decided for a run, with the reason printed at its start ("precision bf16: CPU has avx512_bf16").</summary>
public sealed record PrecisionChoice(Precision Precision, string Reason)
{
    /// <summary>The CPU flags (of <c>/proc/cpuinfo</c>) that mean native bf16 arithmetic.</summary>
    public static readonly string[] NativeBf16Flags = ["avx512_bf16", "amx_bf16"];

    public bool Bf16 => Precision == Precision.Bf16;

    /// <summary>Whether the forward pass runs under autocast (bf16 or fp16).</summary>
    public bool Autocast => Precisions.Autocasts(Precision);

    /// <summary>The dtype autocast computes in (meaningful when <see cref="Autocast"/>).</summary>
    public ScalarType AutocastType => Precisions.AutocastType(Precision);

    /// <summary>fp16 needs loss scaling (its smallest normal number is 6e-5, where small gradients vanish); bf16 has fp32's range.</summary>
    public bool ScalesLoss => Precision == Precision.Fp16;

    public override string ToString() => $"precision {Precisions.Name(Precision)}: {Reason}";

    /// <summary>
    /// The decision from the request and what the device offers: on a CPU, bf16 is native with <c>avx512_bf16</c>
    /// (AVX-512 BF16) or <c>amx_bf16</c> (AMX); on CUDA, when the device reports bf16 support (compute capability
    /// 8.0+), and fp16 with loss scaling on older GPUs. fp16 is refused on a CPU: libtorch 1.13's CPU autocast
    /// computes only in bf16 (and its CPU convolutions have no fp16 kernels).
    /// </summary>
    /// <exception cref="ArgumentException">fp16 requested for a CPU.</exception>
    public static PrecisionChoice Choose(Precision requested, DeviceType device, IReadOnlySet<string> cpuFlags, bool cudaHasBf16 = false)
    {
        var cuda = device == DeviceType.Cuda;
        var native = cuda
            ? cudaHasBf16 ? "the CUDA device computes in bf16" : null
            : NativeBf16Flags.FirstOrDefault(cpuFlags.Contains) is { } flag ? $"CPU has {flag}" : null;
        var missing = cuda ? "the CUDA device does not report bf16 (compute capability below 8.0)" : "CPU has neither avx512_bf16 nor amx_bf16";
        return requested switch
        {
            Precision.Fp32 => new(Precision.Fp32, "requested"),
            Precision.Bf16 => new(Precision.Bf16, native is null ? $"requested, but {missing}: bf16 is emulated and likely slower than fp32" : $"requested; {native}"),
            Precision.Fp16 when Unsupported(Precision.Fp16, device) is { } problem => throw new ArgumentException(problem),
            Precision.Fp16 => new(Precision.Fp16, "requested; loss scaled against fp16 underflow"),
            _ when native is not null => new(Precision.Bf16, $"auto, {native}"),
            _ when cuda => new(Precision.Fp16, $"auto, {missing}: fp16 with loss scaling"),
            _ => new(Precision.Fp32, $"auto, {missing}"),
        };
    }

    /// <summary>Why fp16 is refused off CUDA (the CLI's and the training API's message).</summary>
    public const string Fp16OnCpu = "precision fp16 runs on a CUDA device only (CPU autocast computes in bf16): use auto, fp32 or bf16 on a CPU";

    /// <summary>Why <paramref name="requested"/> cannot run on <paramref name="device"/>, or null when it can: the one
    /// rule the trainer, the CLI and the training API apply.</summary>
    public static string? Unsupported(Precision requested, DeviceType device) =>
        requested == Precision.Fp16 && device != DeviceType.Cuda ? Fp16OnCpu : null;

    /// <summary>The decision on this machine's CPU.</summary>
    public static PrecisionChoice ForThisMachine(Precision requested) => Choose(requested, DeviceType.Cpu, CpuFlags.Current);

    /// <summary>The decision for <paramref name="device"/>: the CPU's flags; on CUDA, what libtorch's CUDA hooks say
    /// of the device (<see cref="TorchRuntime.CudaBf16Supported"/>); fp32 on <c>meta</c> (no arithmetic happens there;
    /// autocast would only hide which device an op ran on).</summary>
    public static PrecisionChoice For(Precision requested, Device device) => device.Type switch
    {
        DeviceType.Cuda => Choose(requested, DeviceType.Cuda, CpuFlags.Current, cudaHasBf16: TorchRuntime.CudaBf16Supported),
        DeviceType.Meta => new(Precision.Fp32, "the meta device computes nothing"),
        _ => ForThisMachine(requested),
    };
}

public static class Precisions
{
    public static string Name(Precision p) => p switch { Precision.Fp32 => "fp32", Precision.Bf16 => "bf16", Precision.Fp16 => "fp16", _ => "auto" };

    /// <summary>Whether <paramref name="p"/> runs the forward pass under autocast.</summary>
    public static bool Autocasts(Precision p) => p is Precision.Bf16 or Precision.Fp16;

    /// <summary>The dtype autocast computes in for <paramref name="p"/> (bf16 unless fp16).</summary>
    public static ScalarType AutocastType(Precision p) => p == Precision.Fp16 ? ScalarType.Float16 : ScalarType.BFloat16;

    /// <summary>The names <see cref="Parse"/> takes first (CLI choices, the training API's values).</summary>
    public static readonly string[] Names = ["auto", "fp32", "bf16", "fp16"];

    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Precision.Auto,
        "fp32" or "float32" => Precision.Fp32,
        "bf16" or "bfloat16" => Precision.Bf16,
        "fp16" or "float16" or "half" => Precision.Fp16,
        _ => throw new ArgumentException($"unknown precision '{text}' (expected auto, fp32, bf16 or fp16)"),
    };
}

/// <summary>The CPU's feature flags as Linux lists them in <c>/proc/cpuinfo</c> (empty where there is no such file).</summary>
public static class CpuFlags
{
    private static readonly Lazy<IReadOnlySet<string>> current = new(() => Read("/proc/cpuinfo"));

    public static IReadOnlySet<string> Current => current.Value;

    public static IReadOnlySet<string> Read(string path)
    {
        if (!File.Exists(path)) return new HashSet<string>();
        return Parse(File.ReadLines(path));
    }

    /// <summary>The flags of the first <c>flags</c> line (every core of a machine lists the same).</summary>
    public static IReadOnlySet<string> Parse(IEnumerable<string> cpuinfoLines)
    {
        foreach (var line in cpuinfoLines)
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "flags")
                return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        }
        return new HashSet<string>();
    }
}
