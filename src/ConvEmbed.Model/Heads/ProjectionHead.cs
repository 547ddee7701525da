using ConvEmbed.Torch;
using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Model.Heads;

/// <summary>
/// A per-position MLP on (N, C, L), written as kernel-1 convolutions: mathematically a Linear, but it runs on
/// oneDNN instead of BLAS (docs/architecture.md#why-these-dependencies: 7 ms vs 25 ms for the same product).
/// </summary>
public sealed class ProjectionHead : Module
{
    private readonly Sequential net;

    public ProjectionHead(params int[] dims)
    {
        if (dims.Length < 2) throw new ArgumentException("a head needs at least an input and an output width", nameof(dims));
        net = RegisterModule("net", new Sequential());
        for (var i = 0; i < dims.Length - 1; i++)
        {
            net.Add(new Conv1d(dims[i], dims[i + 1], 1));
            if (i < dims.Length - 2) net.Add(Activation.GELU());
        }
        OutDim = dims[^1];
    }

    public int OutDim { get; }

    public override Tensor forward(Tensor x) => net.forward(x);
}
