namespace ConvEmbed.Torch.Modules;

/// <summary>y = x·Wᵀ + b, as torch.nn.Linear. On hot paths a kernel-1 Conv1d is often faster here (docs/architecture.md#why-these-dependencies).</summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        Weight = RegisterParameter("weight", Init.Uniform([outFeatures, inFeatures], inFeatures));
        if (bias) Bias = RegisterParameter("bias", Init.Uniform([outFeatures], inFeatures));
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor forward(Tensor x) => Functional.linear(x, Weight, Bias);
}
