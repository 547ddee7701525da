namespace ConvEmbed.Torch.Modules;

/// <summary>Normalises over the last dims, as torch.nn.LayerNorm (elementwise affine).</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(long[] normalizedShape, double eps = 1e-5)
    {
        (NormalizedShape, Eps) = (normalizedShape, eps);
        Weight = RegisterParameter("weight", Torch.ones(normalizedShape));
        Bias = RegisterParameter("bias", Torch.zeros(normalizedShape));
    }

    public LayerNorm(long features, double eps = 1e-5) : this([features], eps) { }

    public long[] NormalizedShape { get; }
    public double Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public override Tensor forward(Tensor x) => Functional.layer_norm(x, NormalizedShape, Weight, Bias, Eps);
}
