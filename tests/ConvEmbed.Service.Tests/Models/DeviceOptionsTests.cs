using System.Diagnostics;
using ConvEmbed.Service.Models;
using ConvEmbed.Torch;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Tests.Models;

public sealed class DeviceOptionsTests
{
    private static readonly Func<string?> CudaWorks = () => null;
    private static readonly Func<string?> NoCuda = () => "the libtorch in use was built without CUDA.";

    [Fact]
    public void DefaultIsAuto()
    {
        Assert.Equal("auto", new DeviceOptions().Device);
    }

    [Fact]
    public void CpuIsChosenWithoutAskingLibtorch()
    {
        var choice = new DeviceOptions { Device = "cpu" }.Choose(() => throw new InvalidOperationException("libtorch was asked"));

        Assert.Equal(Device.Cpu, choice.Device);
    }

    [Fact]
    public void AutoTakesCudaWhereLibtorchCanUseIt()
    {
        Assert.Equal(Device.Cuda, new DeviceOptions().Choose(CudaWorks).Device);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData(" AUTO ")]
    [InlineData("")]
    public void AutoFallsBackToCpuAndSaysWhy(string value)
    {
        var choice = new DeviceOptions { Device = value }.Choose(NoCuda);

        Assert.Equal(Device.Cpu, choice.Device);
        Assert.Contains("CUDA not available", choice.Reason);
        Assert.Contains("built without CUDA", choice.Reason);
    }

    [Fact]
    public void CudaWhereLibtorchCanUseItIsValid()
    {
        Assert.Empty(new DeviceOptions { Device = "cuda" }.Validate(CudaWorks));
    }

    [Fact]
    public void CudaWithoutCudaFailsNamingTheSettingAndTheReason()
    {
        var error = Assert.Single(new DeviceOptions { Device = "cuda" }.Validate(NoCuda));

        Assert.Contains("ConvEmbed:Device", error);
        Assert.Contains("built without CUDA", error);
    }

    [Fact]
    public void TheTestsMetaDeviceIsNoServiceSetting()
    {
        var choice = new DeviceOptions { Device = "meta" }.Choose(() => null);
        Assert.Null(choice.Device);
        Assert.Contains("ConvEmbed:Device", choice.Reason);
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:7")]
    [InlineData("gpu0")]
    public void UnknownDeviceFailsNamingTheSettingAndTheChoices(string value)
    {
        var error = Assert.Single(new DeviceOptions { Device = value }.Validate(CudaWorks));

        Assert.Contains("ConvEmbed:Device", error);
        Assert.Contains("cpu, cuda or auto", error);
    }

    [Fact]
    public void UnknownDeviceInConfigurationStopsStartUp()
    {
        using var factory = new ConvEmbedApiFactory(new Dictionary<string, string?> { ["ConvEmbed:Device"] = "tpu" });

        var validation = StartUpValidationError(factory);

        Assert.Contains("ConvEmbed:Device", validation.Message);
    }

    /// <summary>On a CPU-only libtorch (this machine) cuda stops start-up; where CUDA works, the same setting starts.</summary>
    [Fact]
    public void CudaSettingStartsOnlyWhereLibtorchHasCuda()
    {
        using var factory = new ConvEmbedApiFactory(new Dictionary<string, string?> { ["ConvEmbed:Device"] = "cuda" });

        if (ComputeDevice.CudaProblem() is null)
        {
            using var client = factory.CreateClient();
            return;
        }
        var validation = StartUpValidationError(factory);
        Assert.Contains("ConvEmbed:Device", validation.Message);
        Assert.Contains("CUDA", validation.Message);
    }

    /// <summary>The options validation error that stopped start-up, wherever the host wrapped it (an aggregate, an
    /// invocation of the entry point); any other failure fails the test showing the whole exception it got.</summary>
    private static OptionsValidationException StartUpValidationError(ConvEmbedApiFactory factory)
    {
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var pending = new Queue<Exception>([error]);
        while (pending.TryDequeue(out var e))
        {
            if (e is OptionsValidationException validation) return validation;
            if (e is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) pending.Enqueue(inner);
            else if (e.InnerException is { } inner) pending.Enqueue(inner);
        }
        Assert.Fail($"Start-up failed, but not by options validation: {error}");
        throw new UnreachableException();
    }
}
