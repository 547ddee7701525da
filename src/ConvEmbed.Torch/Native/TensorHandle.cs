using System.Runtime.InteropServices;

namespace ConvEmbed.Torch.Native;

/// <summary>Owns one native at::Tensor handle; releasing it drops one libtorch reference.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ce_tensor_free(handle);
        return true;
    }
}
