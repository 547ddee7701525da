using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

// Copies between tensors and managed memory, conversions, autograd accessors.
public sealed partial class Tensor
{
    /// <summary>Copies the elements, row-major, converted to <typeparamref name="T"/>.</summary>
    public unsafe T[] data<T>() where T : unmanaged
    {
        var result = new T[NumEl];
        fixed (T* p = result)
            TorchException.Check(NativeMethods.ce_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T), (int)ScalarTypes.Of<T>()));
        return result;
    }

    /// <summary>Copies every element into <paramref name="destination"/> (exactly NumEl long): a buffer reused across calls
    /// spares the allocation <see cref="data{T}"/> makes each time.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (destination.Length != NumEl) throw new ArgumentException($"the destination holds {destination.Length} elements, the tensor {NumEl}");
        fixed (T* p = destination)
            TorchException.Check(NativeMethods.ce_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T), (int)ScalarTypes.Of<T>()));
    }

    /// <summary>The raw bytes in the tensor's own dtype (little-endian on every platform we run on).</summary>
    public unsafe byte[] bytes()
    {
        var type = DType;
        var result = new byte[NumEl * type.ElementSize()];
        fixed (byte* p = result) TorchException.Check(NativeMethods.ce_tensor_copy_to(Handle, p, result.Length, (int)type));
        return result;
    }

    public unsafe double item()
    {
        double v;
        TorchException.Check(NativeMethods.ce_tensor_item(Handle, &v));
        return v;
    }

    public float ToSingle() => (float)item();

    public Tensor to(ScalarType type) => Wrap(NativeMethods.ce_tensor_to(Handle, (int)type, (int)Device.Type));

    /// <summary>This tensor in float32 (differentiable; the same values when it already is): a loss reads autocast outputs through it.</summary>
    public Tensor @float() => to(ScalarType.Float32);

    public Tensor to(Device device)
    {
        device.EnsureAvailable();
        return Wrap(NativeMethods.ce_tensor_to(Handle, (int)DType, (int)device.Type));
    }

    /// <summary>Moves this tensor's data to <paramref name="device"/> in place: the same handle (a parameter stays the
    /// parameter the optimiser and the module hold), its storage elsewhere. Not differentiable.</summary>
    internal void MoveTo(Device device)
    {
        device.EnsureAvailable();
        TorchException.Check(NativeMethods.ce_tensor_move_data(Handle, (int)device.Type));
    }

    public Tensor clone() => Wrap(NativeMethods.ce_tensor_clone(Handle));
    public Tensor contiguous() => Wrap(NativeMethods.ce_tensor_contiguous(Handle));
    public Tensor detach() => Wrap(NativeMethods.ce_tensor_detach(Handle));

    /// <summary>A second owner of the same native tensor (shares storage and autograd identity).</summary>
    public Tensor alias() => Wrap(NativeMethods.ce_tensor_alias(Handle));

    // ---- autograd
    public bool RequiresGrad
    {
        get => NativeMethods.ce_tensor_requires_grad(Handle) == 1;
        set => TorchException.Check(NativeMethods.ce_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool on = true)
    {
        RequiresGrad = on;
        return this;
    }

    /// <summary>The accumulated gradient as a new handle (dispose it), or null before any backward pass.</summary>
    public unsafe Tensor? Grad
    {
        get
        {
            int defined = -1;
            var h = NativeMethods.ce_tensor_grad(Handle, &defined);
            if (h.IsInvalid)
            {
                h.Dispose();
                if (defined == 0) return null;
                throw TorchException.FromNative();
            }
            return Wrap(h);
        }
    }

    /// <summary>Drops the gradient (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad() => TorchException.Check(NativeMethods.ce_tensor_zero_grad(Handle));

    public void Backward() => TorchException.Check(NativeMethods.ce_tensor_backward(Handle));

    // ---- in-place updates; they run without autograd (for optimizers and loading weights).
    public Tensor copy_(Tensor src) { TorchException.Check(NativeMethods.ce_tensor_copy_(Handle, src.Handle)); return this; }
    public Tensor zero_() { TorchException.Check(NativeMethods.ce_tensor_zero_(Handle)); return this; }
    public Tensor fill_(double v) { TorchException.Check(NativeMethods.ce_tensor_fill_(Handle, v)); return this; }
    public Tensor mul_(double v) { TorchException.Check(NativeMethods.ce_tensor_mul_scalar_(Handle, v)); return this; }
    public Tensor mul_(Tensor o) { TorchException.Check(NativeMethods.ce_tensor_mul_(Handle, o.Handle)); return this; }
    public Tensor add_(Tensor o, double alpha = 1) { TorchException.Check(NativeMethods.ce_tensor_add_(Handle, o.Handle, alpha)); return this; }
    public Tensor addcmul_(Tensor a, Tensor b, double value = 1) { TorchException.Check(NativeMethods.ce_tensor_addcmul_(Handle, a.Handle, b.Handle, value)); return this; }
    public Tensor addcdiv_(Tensor a, Tensor b, double value = 1) { TorchException.Check(NativeMethods.ce_tensor_addcdiv_(Handle, a.Handle, b.Handle, value)); return this; }
    public Tensor uniform_(double lo, double hi) { TorchException.Check(NativeMethods.ce_tensor_uniform_(Handle, lo, hi)); return this; }
}
