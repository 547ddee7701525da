using ConvEmbed.Torch;
using Microsoft.Extensions.Options;
using TorchDevice = ConvEmbed.Torch.Device;

namespace ConvEmbed.Service.Models;

/// <summary>
/// The device of <see cref="DeviceOptions"/>, chosen once and logged at start-up. An impossible setting never gets
/// here: options validation has already stopped the service with a message naming <c>ConvEmbed:Device</c>.
/// </summary>
public sealed class ComputeDevice(IOptions<DeviceOptions> options, ILogger<ComputeDevice> logger) : IHostedService
{
    // Whether CUDA works does not change while the process runs; libtorch is asked once.
    private static readonly Lazy<string?> cudaProblem = new(AskLibtorch);
    private readonly Lazy<DeviceChoice> choice = new(() => options.Value.Choose(CudaProblem));

    public TorchDevice Device => choice.Value.Device
        ?? throw new InvalidOperationException(choice.Value.Reason);

    /// <summary>Null when libtorch can compute on CUDA here, else why not (the binding's own check).</summary>
    public static string? CudaProblem() => cudaProblem.Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Device {Device} ({Setting} = {Value}): {Reason}; trained encoders load there and training jobs run there",
            Device, DeviceOptions.Setting, options.Value.Device, choice.Value.Reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string? AskLibtorch()
    {
        try
        {
            return DeviceSetting.UnusableCuda();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            return $"libtorch could not be loaded ({e.Message}).";
        }
    }
}
