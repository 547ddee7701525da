namespace ConvEmbed.Torch;

/// <summary>
/// The one reading of a device setting (the service's <c>ConvEmbed:Device</c>, the commands' <c>--device</c>):
/// <c>cpu</c>, <c>cuda</c>, or <c>auto</c> (also when empty) — cuda when the libtorch in use reaches a GPU, else cpu.
/// </summary>
public static class DeviceSetting
{
    public const string Auto = "auto";

    /// <summary>The device a setting selects, or null with the reason it cannot be had.</summary>
    /// <param name="value">cpu, cuda or auto (empty: auto).</param>
    /// <param name="setting">The setting's name, for the messages ("ConvEmbed:Device", "--device").</param>
    /// <param name="cudaProblem">Null when CUDA can be used here, else why not; asked only for cuda and auto.</param>
    public static (Device? Device, string Reason) Choose(string value, string setting, Func<string?>? cudaProblem = null)
    {
        cudaProblem ??= UnusableCuda;
        value = value.Trim();
        if (value.Length == 0 || value.Equals(Auto, StringComparison.OrdinalIgnoreCase))
            return cudaProblem() is { } missing ? (Device.Cpu, $"CUDA not available: {missing}") : (Device.Cuda, "CUDA available");

        Device device;
        try { device = Device.Parse(value); }
        catch (ArgumentException) { return (null, $"{setting} must be cpu, cuda or auto (was '{value}')."); }
        if (device.Type == DeviceType.Meta) return (null, $"{setting}: 'meta' is the tests' device (shapes without data); use cpu, cuda or auto.");
        if (device.Type != DeviceType.Cuda) return (device, "as configured");
        return cudaProblem() is { } problem
            ? (null, $"{setting} is '{value}', but CUDA cannot be used here (set {setting} to cpu or auto): {problem}")
            : (device, "as configured");
    }

    /// <summary>Null when libtorch can compute on CUDA here, else why not.</summary>
    public static string? UnusableCuda()
    {
        try
        {
            Device.Cuda.EnsureAvailable();
            return null;
        }
        catch (TorchException e)
        {
            return e.Message;
        }
    }
}
