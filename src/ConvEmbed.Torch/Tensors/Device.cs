namespace ConvEmbed.Torch;

/// <summary>Where a tensor lives: "cpu" always; "cuda" only with a CUDA-enabled libtorch and a GPU; "meta" always —
/// shapes without data, on which forward passes run without computing anything (the tests' stand-in for a GPU: a
/// tensor left behind on the CPU makes libtorch refuse to mix devices).</summary>
public readonly record struct Device(DeviceType Type)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);
    public static readonly Device Cuda = new(DeviceType.Cuda);
    public static readonly Device Meta = new(DeviceType.Meta);

    public static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "cuda" or "cuda:0" or "gpu" => Cuda,
        "meta" => Meta,
        _ => throw new ArgumentException($"unknown device '{name}' (expected cpu or cuda)", nameof(name)),
    };

    /// <summary>Throws a clear error when the device cannot be used with the libtorch we are linked to.</summary>
    public void EnsureAvailable()
    {
        if (Type is DeviceType.Cpu or DeviceType.Meta) return;
        if (!TorchRuntime.CudaCompiled)
            throw new TorchException(
                $"device 'cuda' requested, but the libtorch in use ({TorchRuntime.Version}) was built without CUDA " +
                "(no libtorch_cuda). Build ConvEmbed.Torch against a CUDA libtorch (set LIBTORCH_DIR) or use device 'cpu'.");
        if (!TorchRuntime.CudaAvailable)
            throw new TorchException("device 'cuda' requested, but libtorch found no usable CUDA device or driver.");
    }

    public override string ToString() => Type switch { DeviceType.Cuda => "cuda", DeviceType.Meta => "meta", _ => "cpu" };
}

public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
    Meta = 2,
}
