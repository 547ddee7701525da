namespace ConvEmbed.Service.Models;

/// <summary>
/// Where encoders are loaded and trained. Bound from <c>ConvEmbed:Device</c> (environment <c>ConvEmbed__Device</c>):
/// <c>cpu</c>, <c>cuda</c>, or <c>auto</c> (also when empty) — cuda when the libtorch in use can reach a GPU, else cpu.
/// </summary>
public sealed record DeviceOptions
{
    public const string Section = "ConvEmbed";
    public const string Setting = Section + ":Device";
    public const string Auto = "auto";

    public string Device { get; init; } = Auto;

    /// <summary>The device this setting selects, or why it cannot be had.</summary>
    /// <param name="cudaProblem">Null when libtorch can compute on CUDA here, else the reason; asked only for cuda and auto.</param>
    public DeviceChoice Choose(Func<string?> cudaProblem)
    {
        var (device, reason) = ConvEmbed.Torch.DeviceSetting.Choose(Device, Setting, cudaProblem);
        return new DeviceChoice(device, reason);
    }

    public IEnumerable<string> Validate(Func<string?> cudaProblem)
    {
        var choice = Choose(cudaProblem);
        if (!choice.IsValid) yield return choice.Reason;
    }
}
