using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>
/// A libtorch tensor. Owns one native handle; dispose it, or create it inside a <see cref="DisposeScope"/>
/// that frees it at the scope's end. Ops live in the partial files Tensor.*.cs, named as in PyTorch.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    internal readonly TensorHandle Handle;

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal DisposeScope? Scope;

    private Tensor(TensorHandle handle)
    {
        Handle = handle;
        DisposeScope.Current?.Attach(this);
    }

    /// <summary>Wraps a native result; a null handle means the call failed, so the native error is thrown.</summary>
    internal static Tensor Wrap(TensorHandle handle)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw TorchException.FromNative();
        }
        return new Tensor(handle);
    }

    public bool IsDisposed => Handle.IsClosed;

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[NativeMethods.ce_tensor_ndim(Handle)];
            fixed (long* p = shape) TorchException.Check(NativeMethods.ce_tensor_shape(Handle, p));
            return shape;
        }
    }

    public int Dim => NativeMethods.ce_tensor_ndim(Handle);
    public long NumEl => NativeMethods.ce_tensor_numel(Handle);
    public long size(int dim) { var s = Shape; return s[dim < 0 ? dim + s.Length : dim]; }

    public ScalarType DType
    {
        get
        {
            var code = NativeMethods.ce_tensor_dtype(Handle);
            return code < 0 ? throw new NotSupportedException("tensor has a dtype the binding does not expose") : (ScalarType)code;
        }
    }

    public Device Device => new((DeviceType)NativeMethods.ce_tensor_device(Handle));

    public void Dispose()
    {
        Handle.Dispose();
        Scope?.Forget(this);
        Scope = null;
    }

    /// <summary>Takes this tensor out of its dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Forget(this);
        Scope = null;
        return this;
    }

    /// <summary>Moves this tensor from its scope to the enclosing one (or to the caller when there is none).</summary>
    public Tensor MoveToOuterScope()
    {
        var outer = Scope?.Outer;
        DetachFromDisposeScope();
        outer?.Attach(this);
        return this;
    }

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}] {DType} {Device}";
}
