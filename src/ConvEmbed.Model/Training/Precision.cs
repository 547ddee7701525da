using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>
/// The precision training computes in. <see cref="Bf16"/> runs the forward pass under libtorch's autocast
/// (convolutions and matrix products in bfloat16, losses in fp32); parameters, gradients, optimiser state and
/// checkpoints stay fp32 either way. <see cref="Auto"/> picks bf16 where the hardware runs it natively.
/// </summary>
public enum Precision
{
    Auto,
    Fp32,
    Bf16,
}

/// <summary>A precision decided for a run, with the reason printed at its start ("precision bf16: CPU has avx512_bf16").</summary>
public sealed record PrecisionChoice(Precision Precision, string Reason)
{
    /// <summary>The CPU flags (of <c>/proc/cpuinfo</c>) that mean native bf16 arithmetic.</summary>
    public static readonly string[] NativeBf16Flags = ["avx512_bf16", "amx_bf16"];

    public bool Bf16 => Precision == Precision.Bf16;

    public override string ToString() => $"precision {Precisions.Name(Precision)}: {Reason}";

    /// <summary>
    /// The decision from the request and what the device offers: on a CPU, bf16 is native with <c>avx512_bf16</c>
    /// (AVX-512 BF16) or <c>amx_bf16</c> (AMX); on CUDA, when the device reports bf16 support.
    /// </summary>
    public static PrecisionChoice Choose(Precision requested, DeviceType device, IReadOnlySet<string> cpuFlags, bool cudaHasBf16 = false)
    {
        var native = device == DeviceType.Cuda
            ? cudaHasBf16 ? "the CUDA device computes in bf16" : null
            : NativeBf16Flags.FirstOrDefault(cpuFlags.Contains) is { } flag ? $"CPU has {flag}" : null;
        var missing = device == DeviceType.Cuda ? "the CUDA device does not report bf16" : "CPU has neither avx512_bf16 nor amx_bf16";
        return requested switch
        {
            Precision.Fp32 => new(Precision.Fp32, "requested"),
            Precision.Bf16 => new(Precision.Bf16, native is null ? $"requested, but {missing}: bf16 is emulated and likely slower than fp32" : $"requested; {native}"),
            _ => native is null ? new(Precision.Fp32, $"auto, {missing}") : new(Precision.Bf16, $"auto, {native}"),
        };
    }

    /// <summary>The decision on this machine's CPU.</summary>
    public static PrecisionChoice ForThisMachine(Precision requested) => Choose(requested, DeviceType.Cpu, CpuFlags.Current);

    /// <summary>The decision for <paramref name="device"/>: the CPU's flags; on CUDA, fp32 unless bf16 is asked for
    /// (the shim does not query the GPU's compute capability yet, so auto does not assume bf16: docs/operations.md#gpu-host);
    /// fp32 on <c>meta</c> (no arithmetic happens there; autocast would only hide which device an op ran on).</summary>
    public static PrecisionChoice For(Precision requested, Device device) => device.Type switch
    {
        DeviceType.Cuda => Choose(requested, DeviceType.Cuda, CpuFlags.Current, cudaHasBf16: false),
        DeviceType.Meta => new(Precision.Fp32, "the meta device computes nothing"),
        _ => ForThisMachine(requested),
    };
}

public static class Precisions
{
    public static string Name(Precision p) => p switch { Precision.Fp32 => "fp32", Precision.Bf16 => "bf16", _ => "auto" };

    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Precision.Auto,
        "fp32" or "float32" => Precision.Fp32,
        "bf16" or "bfloat16" => Precision.Bf16,
        _ => throw new ArgumentException($"unknown precision '{text}' (expected auto, fp32 or bf16)"),
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
