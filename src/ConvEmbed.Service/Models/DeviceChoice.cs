using TorchDevice = ConvEmbed.Torch.Device;

namespace ConvEmbed.Service.Models;

/// <summary>What <see cref="DeviceOptions.Choose"/> decided: a device and why, or (no device) why the setting cannot be met.</summary>
public sealed record DeviceChoice(TorchDevice? Device, string Reason)
{
    public bool IsValid => Device is not null;
}
