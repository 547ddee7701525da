using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

// Views and re-arrangements: reshape, transpose, narrow, expand, index_select and friends.
public sealed partial class Tensor
{
    public unsafe Tensor reshape(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.ce_reshape(Handle, p, shape.Length));
    }

    public Tensor view(params long[] shape) => reshape(shape);

    public unsafe Tensor expand(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.ce_expand(Handle, p, shape.Length));
    }

    public Tensor expand_as(Tensor other) => expand(other.Shape);

    public unsafe Tensor permute(params long[] dims)
    {
        fixed (long* p = dims) return Wrap(NativeMethods.ce_permute(Handle, p, dims.Length));
    }

    public Tensor transpose(long dim0, long dim1) => Wrap(NativeMethods.ce_transpose(Handle, dim0, dim1));
    public Tensor t() => transpose(0, 1);
    public Tensor narrow(long dim, long start, long length) => Wrap(NativeMethods.ce_narrow(Handle, dim, start, length));
    public Tensor unsqueeze(long dim) => Wrap(NativeMethods.ce_unsqueeze(Handle, dim));
    public Tensor squeeze(long dim) => Wrap(NativeMethods.ce_squeeze(Handle, dim));
    public Tensor flatten() => reshape(-1);
    public Tensor index_select(long dim, Tensor index) => Wrap(NativeMethods.ce_index_select(Handle, dim, index.Handle));
}
