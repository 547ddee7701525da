using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>
/// libtorch's automatic mixed precision on this thread until disposed (<c>torch.autocast(device, dtype)</c>): inside,
/// convolutions and matrix products on <see cref="DeviceType"/> run in <see cref="DType"/> (their fp32 weights cast
/// once per region and cached), while ops that need range or precision — losses, norms, most reductions — follow
/// libtorch's policy. Parameters and their gradients stay fp32; run backward and the optimiser outside the scope.
/// Disposing restores the previous state (scopes nest).
/// </summary>
public sealed class AutocastScope : IDisposable
{
    private readonly bool previousEnabled;
    private readonly ScalarType previousDType;
    private readonly int thread = Environment.CurrentManagedThreadId;
    private bool disposed;

    internal AutocastScope(DeviceType device, ScalarType dtype, bool enabled)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"autocast computes in bfloat16 or float16, not {dtype}", nameof(dtype));
        (previousEnabled, previousDType) = State(device);
        TorchException.Check(NativeMethods.ce_autocast_enter((int)device, enabled ? 1 : 0, (int)dtype));
        (DeviceType, DType, Enabled) = (device, dtype, enabled);
    }

    public DeviceType DeviceType { get; }
    public ScalarType DType { get; }
    public bool Enabled { get; }

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    public static bool IsEnabled(DeviceType device = DeviceType.Cpu) => State(device).Enabled;

    private static unsafe (bool Enabled, ScalarType DType) State(DeviceType device)
    {
        TorchRuntime.EnsureInitialized();
        int code;
        var state = NativeMethods.ce_autocast_state((int)device, &code);
        TorchException.Check(state);
        return (state == 1, (ScalarType)code);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // The state is thread-local in libtorch: restoring it on another thread would switch that thread instead.
        if (Environment.CurrentManagedThreadId != thread)
            throw new InvalidOperationException("An AutocastScope ended on another thread than it began on: keep the work inside it synchronous (no await inside it).");
        TorchException.Check(NativeMethods.ce_autocast_exit((int)DeviceType, previousEnabled ? 1 : 0, (int)previousDType));
    }
}
