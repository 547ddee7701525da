using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>Tensor creation and multi-tensor ops, named as torch.* in PyTorch.</summary>
public static class Torch
{
    private delegate TensorHandle Factory(IntPtr shape, int ndim, int dtype, int device);

    public static DisposeScope NewDisposeScope() => DisposeScope.Enter();
    public static NoGradScope no_grad() => new();

    /// <summary>
    /// Mixed precision until the scope is disposed (<c>torch.autocast</c>): <c>using (Torch.autocast(DeviceType.Cpu,
    /// ScalarType.BFloat16)) loss = model(x);</c>, then backward outside. <paramref name="enabled"/> false turns an
    /// enclosing autocast off for the scope.
    /// </summary>
    public static AutocastScope autocast(DeviceType device, ScalarType dtype = ScalarType.BFloat16, bool enabled = true) => new(device, dtype, enabled);
    public static void manual_seed(long seed) => TorchRuntime.ManualSeed(seed);

    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape (dtype from T).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[] shape, Device? device = null) where T : unmanaged
    {
        TorchRuntime.EnsureInitialized();
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {n} elements, got {data.Length}");
        var dev = Check(device);
        fixed (T* p = data)
        fixed (long* s = shape)
            return Tensor.Wrap(NativeMethods.ce_tensor_from_data(p, s, shape.Length, (int)ScalarTypes.Of<T>(), (int)dev.Type));
    }

    public static Tensor tensor<T>(T[] data, params long[] shape) where T : unmanaged =>
        tensor<T>(data.AsSpan(), shape.Length == 0 ? [data.Length] : shape);

    public static unsafe Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.ce_tensor_zeros(s, shape.Length, (int)dtype, (int)dev.Type));
    }

    public static unsafe Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.ce_tensor_ones(s, shape.Length, (int)dtype, (int)dev.Type));
    }

    public static unsafe Tensor full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.ce_tensor_full(s, shape.Length, value, (int)dtype, (int)dev.Type));
    }

    /// <summary>Standard normal samples from libtorch's generator (seed it with <see cref="manual_seed"/>).</summary>
    public static unsafe Tensor randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.ce_tensor_randn(s, shape.Length, (int)dtype, (int)dev.Type));
    }

    /// <summary>Uniform [0, 1) samples from libtorch's generator.</summary>
    public static unsafe Tensor rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.ce_tensor_rand(s, shape.Length, (int)dtype, (int)dev.Type));
    }

    public static Tensor arange(long start, long end, long step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        var dev = Check(device);
        return Tensor.Wrap(NativeMethods.ce_tensor_arange(start, end, step, (int)dtype, (int)dev.Type));
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Multi(tensors, dim, stack: false);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Multi(tensors, dim, stack: true);

    private static unsafe Tensor Multi(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        // Raw handles are safe here: the Tensor objects (and so their SafeHandles) stay alive until KeepAlive.
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            ObjectDisposedException.ThrowIf(tensors[i].IsDisposed, tensors[i]);
            handles[i] = tensors[i].Handle.DangerousGetHandle();
        }
        Tensor result;
        fixed (IntPtr* p = handles)
            result = Tensor.Wrap(stack ? NativeMethods.ce_stack(p, handles.Length, dim) : NativeMethods.ce_cat(p, handles.Length, dim));
        GC.KeepAlive(tensors);
        return result;
    }

    private static Device Check(Device? device)
    {
        var d = device ?? Device.Cpu;
        d.EnsureAvailable();
        return d;
    }
}
