using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>Neural-network functions, named as torch.nn.functional.* in PyTorch.</summary>
public static class Functional
{
    private static IntPtr Opt(Tensor? t) => t is null ? IntPtr.Zero : t.Handle.DangerousGetHandle();

    /// <summary>x (N, Cin, L), weight (Cout, Cin/groups, K) → (N, Cout, L').</summary>
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1)
    {
        var r = Tensor.Wrap(NativeMethods.ce_conv1d(x.Handle, weight.Handle, Opt(bias), stride, padding, dilation, groups));
        GC.KeepAlive(bias);
        return r;
    }

    /// <summary>x (…, in) · weightᵀ (out, in) + bias.</summary>
    public static Tensor linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        var r = Tensor.Wrap(NativeMethods.ce_linear(x.Handle, weight.Handle, Opt(bias)));
        GC.KeepAlive(bias);
        return r;
    }

    /// <summary>Normalises over all dims but 1; in training, updates running stats in place (momentum as PyTorch).</summary>
    public static Tensor batch_norm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        var r = Tensor.Wrap(NativeMethods.ce_batch_norm(x.Handle, Opt(runningMean), Opt(runningVar), Opt(weight), Opt(bias),
            training ? 1 : 0, momentum, eps));
        GC.KeepAlive(runningMean); GC.KeepAlive(runningVar); GC.KeepAlive(weight); GC.KeepAlive(bias);
        return r;
    }

    public static unsafe Tensor layer_norm(Tensor x, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        Tensor r;
        fixed (long* s = normalizedShape)
            r = Tensor.Wrap(NativeMethods.ce_layer_norm(x.Handle, s, normalizedShape.Length, Opt(weight), Opt(bias), eps));
        GC.KeepAlive(weight); GC.KeepAlive(bias);
        return r;
    }

    public static Tensor gelu(Tensor x) => x.gelu();
    public static Tensor relu(Tensor x) => x.relu();
    public static Tensor softmax(Tensor x, long dim) => Tensor.Wrap(NativeMethods.ce_softmax(x.Handle, dim));
    public static Tensor log_softmax(Tensor x, long dim) => Tensor.Wrap(NativeMethods.ce_log_softmax(x.Handle, dim));

    /// <summary>x / max(‖x‖_p, eps) along dim.</summary>
    public static Tensor normalize(Tensor x, double p = 2, long dim = 1, double eps = 1e-12) =>
        Tensor.Wrap(NativeMethods.ce_normalize(x.Handle, p, dim, eps));

    /// <summary>Mean cross-entropy; target holds class indices (int64, (N)) or class probabilities (same shape as logits).</summary>
    public static Tensor cross_entropy(Tensor logits, Tensor target, double labelSmoothing = 0) =>
        Tensor.Wrap(NativeMethods.ce_cross_entropy(logits.Handle, target.Handle, labelSmoothing));

    public static Tensor mse_loss(Tensor input, Tensor target) => Tensor.Wrap(NativeMethods.ce_mse_loss(input.Handle, target.Handle));
}
