using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

// Element-wise arithmetic (with broadcasting), matmul and reductions. Op codes match native/shim/tensor_math.cpp.
public sealed partial class Tensor
{
    private Tensor Binary(int op, Tensor other) => Wrap(NativeMethods.ce_binary(op, Handle, other.Handle));
    private Tensor Scalar(int op, double s) => Wrap(NativeMethods.ce_binary_scalar(op, Handle, s));
    private Tensor Unary(int op) => Wrap(NativeMethods.ce_unary(op, Handle));

    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(0, b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(1, b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(2, b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(3, b);
    public static Tensor operator +(Tensor a, double s) => a.Scalar(0, s);
    public static Tensor operator -(Tensor a, double s) => a.Scalar(1, s);
    public static Tensor operator *(Tensor a, double s) => a.Scalar(2, s);
    public static Tensor operator /(Tensor a, double s) => a.Scalar(3, s);
    public static Tensor operator +(double s, Tensor a) => a.Scalar(0, s);
    public static Tensor operator -(double s, Tensor a) => a.Scalar(8, s);
    public static Tensor operator *(double s, Tensor a) => a.Scalar(2, s);
    public static Tensor operator -(Tensor a) => a.Unary(0);

    public Tensor matmul(Tensor other) => Binary(4, other);
    public Tensor pow(Tensor exponent) => Binary(5, exponent);
    public Tensor pow(double exponent) => Scalar(5, exponent);
    public Tensor maximum(Tensor other) => Binary(6, other);
    public Tensor minimum(Tensor other) => Binary(7, other);
    public Tensor clamp_min(double min) => Scalar(9, min);
    public Tensor clamp_max(double max) => Scalar(10, max);

    public Tensor neg() => Unary(0);
    public Tensor exp() => Unary(1);
    public Tensor log() => Unary(2);
    public Tensor sqrt() => Unary(3);
    public Tensor abs() => Unary(4);
    public Tensor relu() => Unary(5);
    public Tensor gelu() => Unary(6);
    public Tensor tanh() => Unary(7);
    public Tensor sigmoid() => Unary(8);
    public Tensor square() => Unary(9);

    private unsafe Tensor Reduce(int op, long[] dims, bool keepdim, bool unbiased = true)
    {
        fixed (long* d = dims)
            return Wrap(NativeMethods.ce_reduce(op, Handle, d, dims.Length, keepdim ? 1 : 0, unbiased ? 1 : 0));
    }

    /// <summary>Sum of all elements.</summary>
    public Tensor sum() => Reduce(0, [], false);
    public Tensor sum(long dim, bool keepdim = false) => Reduce(0, [dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(0, dims, keepdim);
    public Tensor mean() => Reduce(1, [], false);
    public Tensor mean(long dim, bool keepdim = false) => Reduce(1, [dim], keepdim);
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(1, dims, keepdim);
    /// <summary>Variance; unbiased (n−1) by default, as torch.var.</summary>
    public Tensor var(long dim, bool keepdim = false, bool unbiased = true) => Reduce(2, [dim], keepdim, unbiased);
    public Tensor var(bool unbiased = true) => Reduce(2, [], false, unbiased);
    public Tensor std(long dim, bool keepdim = false, bool unbiased = true) => Reduce(3, [dim], keepdim, unbiased);
    public Tensor std(bool unbiased = true) => Reduce(3, [], false, unbiased);
    /// <summary>Maximum values over a dim (torch.amax; for indices use argmax).</summary>
    public Tensor max(long dim, bool keepdim = false) => Reduce(4, [dim], keepdim);
    public Tensor max() => Reduce(4, [], false);
    public Tensor argmax(long dim, bool keepdim = false) => Wrap(NativeMethods.ce_argmax(Handle, dim, keepdim ? 1 : 0));
    /// <summary>The p-norm of all elements.</summary>
    public Tensor norm(double p = 2) => Wrap(NativeMethods.ce_norm(Handle, p));
}
