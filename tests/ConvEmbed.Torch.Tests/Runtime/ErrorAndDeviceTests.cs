namespace ConvEmbed.Torch.Tests.Runtime;

public class ErrorAndDeviceTests
{
    [Fact]
    public void ShapeMismatchThrowsWithLibtorchMessage()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.zeros([2, 3]);
        var b = Torch.zeros([2, 4]);
        var e = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("must match the size of tensor b", e.Message);
        var w = Torch.zeros([8, 5, 3]);
        var conv = Assert.Throws<TorchException>(() => Functional.conv1d(Torch.zeros([1, 4, 10]), w));
        Assert.Contains("expected input[1, 4, 10] to have 5 channels", conv.Message);
        // The thread keeps working after a native error.
        Assert.Equal(0.0, (a * 2).sum().item());
    }

    [CpuOnlyFact]
    public void CudaWithoutCudaLibtorchIsAClearError()
    {
        var e = Assert.Throws<TorchException>(() => Torch.zeros([1], device: Device.Parse("cuda")));
        Assert.Contains("cuda", e.Message);
        Assert.Contains(TorchRuntime.CudaCompiled ? "no usable CUDA device" : "without CUDA", e.Message);
    }

    [Fact]
    public void ThreadCountDefaultsToCoresAndIsConfigurable()
    {
        Assert.Equal(Environment.ProcessorCount, TorchRuntime.Threads);
        TorchRuntime.Threads = 1;
        Assert.Equal(1, TorchRuntime.Threads);
        TorchRuntime.Threads = Environment.ProcessorCount;
    }

    /// <summary>The cuda path computes what the CPU computes (runs where a CUDA libtorch and a device exist; skipped otherwise).</summary>
    [CudaFact]
    public void CudaComputesLikeTheCpu()
    {
        using var scope = DisposeScope.Enter();
        var cuda = Device.Parse("cuda");
        Torch.manual_seed(7);
        var a = Torch.randn([64, 32]);
        var b = Torch.randn([32, 16]);
        var onGpu = a.to(cuda).matmul(b.to(cuda));
        Assert.Equal(DeviceType.Cuda, onGpu.Device.Type);
        var back = onGpu.to(Device.Parse("cpu"));
        Assert.Equal(DeviceType.Cpu, back.Device.Type);
        // TF32 or a different summation order: equal to the CPU product within 1e-2 relative (inputs ~N(0,1), 32 terms).
        var cpu = a.matmul(b);
        Assert.True(((back - cpu).abs().max().item()) < 1e-2 * (cpu.abs().max().item()), "cuda matmul differs from the CPU's");
        var w = Torch.randn([8, 4, 3]);
        var x = Torch.randn([2, 4, 50]);
        var convGpu = Functional.conv1d(x.to(cuda), w.to(cuda)).to(Device.Parse("cpu"));
        var convCpu = Functional.conv1d(x, w);
        Assert.True(((convGpu - convCpu).abs().max().item()) < 1e-2 * (convCpu.abs().max().item()), "cuda conv1d differs from the CPU's");
    }
}

/// <summary>A test that only means something on a CPU-only libtorch: reported as skipped where CUDA works.</summary>
public sealed class CpuOnlyFactAttribute : FactAttribute
{
    public CpuOnlyFactAttribute()
    {
        if (TorchRuntime.CudaAvailable) Skip = "CUDA is available here; this checks the error of a CPU-only build";
    }
}

/// <summary>A test of the cuda path: reported as skipped (with the reason) where libtorch has no usable CUDA device.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!TorchRuntime.CudaAvailable)
            Skip = TorchRuntime.CudaCompiled ? "libtorch has CUDA but no usable device here" : "libtorch here is CPU-only (Debian's); needs a CUDA-enabled libtorch";
    }
}
