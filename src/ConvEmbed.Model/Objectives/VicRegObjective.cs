using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Heads;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// VICReg between locals and their global (Bardes et al., 2022, "VICReg: Variance-Invariance-Covariance
/// Regularization"), with h = MLP 256→1024→1024:
/// <code>L = 25·MSE(z, sg(g)) + 25·[v(g) + v(z)] + 1·[c(g) + c(z)]</code>
/// v(x) = mean_d relu(1 − √(Var_b x_d + 1e−4)) (std over tracks), c(x) = Σ_{i≠j} Cov(x)_{ij}² / D.
/// </summary>
public sealed class VicRegObjective : SinglePassObjective
{
    private readonly ProjectionHead head;

    public VicRegObjective(EncoderConfig config) : base(config) =>
        head = RegisterModule("h", new ProjectionHead(config.Channels, 1024, 1024));

    public override string Name => "convembed/vicreg";

    protected override Tensor Loss(Tensor features, Tensor global, int[]? tracks) =>
        Compute(head.forward(features).@float(), head.forward(global.unsqueeze(2)).squeeze(2).@float()); // loss in fp32 under autocast

    /// <summary>The loss from locals z (B, D, T) and globals g (B, D).</summary>
    public static Tensor Compute(Tensor z, Tensor g)
    {
        long b = z.size(0), d = z.size(1), t = z.size(2);
        var invariance = Functional.mse_loss(z, g.detach().unsqueeze(2).expand_as(z));
        var variance = VarianceHinge(g) + VarianceHinge(z);
        var gc = g - g.mean(0, keepdim: true);
        var zc = (z - z.mean(0, keepdim: true)).permute(0, 2, 1).reshape(b * t, d);
        var covariance = OffDiagonalCovariance(gc) + OffDiagonalCovariance(zc);
        return invariance * 25.0 + variance * 25.0 + covariance;
    }

    /// <summary>mean relu(1 − √(Var over dim 0 + 1e−4)).</summary>
    public static Tensor VarianceHinge(Tensor x) => (1.0 - (x.var(0) + 1e-4).sqrt()).relu().mean();

    /// <summary>Σ_{i≠j} C_ij² / D for C = xᵀx/(N−1), x (N, D) centred.</summary>
    public static Tensor OffDiagonalCovariance(Tensor x)
    {
        long n = x.size(0), d = x.size(1);
        // xᵀx as a kernel-1 convolution (oneDNN) rather than a BLAS product: faster here (docs/architecture.md#why-these-dependencies).
        var c = Functional.conv1d(x.unsqueeze(0), x.t().contiguous().unsqueeze(2)).squeeze(0) / (n - 1); // (D, D)
        var diagonal = (x * x).sum(0) / (n - 1);
        return (c.square().sum() - diagonal.square().sum()) / d;
    }
}
