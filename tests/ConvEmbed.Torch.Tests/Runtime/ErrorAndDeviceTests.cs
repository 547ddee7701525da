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

    [Fact]
    public void CudaWithoutCudaLibtorchIsAClearError()
    {
        if (TorchRuntime.CudaAvailable) return; // only meaningful on a CPU-only build
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
}
