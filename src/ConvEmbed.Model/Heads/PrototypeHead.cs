using ConvEmbed.Torch;
using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Model.Heads;

/// <summary>
/// DINO's head (Caron et al., 2021): MLP 256→512→512→128, ℓ2-normalised bottleneck, then a weight-normalised
/// K-way layer whose gain is fixed at 1, i.e. logits_k = ⟨v_k/‖v_k‖, u/‖u‖⟩ (cosine to K prototypes).
/// Works per position on (N, C, L).
/// </summary>
public sealed class PrototypeHead : Module
{
    private readonly ProjectionHead mlp;
    private readonly Conv1d last;

    public PrototypeHead(int inDim = 256, int prototypes = 1024)
    {
        mlp = RegisterModule("mlp", new ProjectionHead(inDim, 512, 512, 128));
        last = RegisterModule("last", new Conv1d(128, prototypes, 1, bias: false));
        Prototypes = prototypes;
    }

    public int Prototypes { get; }

    public override Tensor forward(Tensor x)
    {
        var u = Functional.normalize(mlp.forward(x), dim: 1);
        var w = Functional.normalize(last.Weight, dim: 1); // (K, 128, 1): unit norm per prototype
        return Functional.conv1d(u, w);
    }
}
