using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Heads;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// Teacher-free DINO in one pass: locals predict a balanced assignment of their own global to K prototypes.
/// With h the prototype head (ℓ2 bottleneck + weight-normed K-way layer, as DINO's):
/// <code>q[b] = SinkhornKnopp₃(h(g[b]) / 0.05) (stop-gradient),  L = −1/(B·T) Σ_{b,t} Σ_k q[b,k] log softmax(h(z[b,t]) / 0.1)_k + 0.1·KoLeo(g)</code>
/// (Caron et al., 2021 for the head and temperatures; SwAV's Sinkhorn-Knopp in place of a teacher and centring.)
/// </summary>
public sealed class DinoFreeObjective : SinglePassObjective
{
    private readonly PrototypeHead head;

    public DinoFreeObjective(EncoderConfig config, int prototypes = 1024) : base(config) =>
        head = RegisterModule("h", new PrototypeHead(config.Channels, prototypes));

    public override string Name => "convembed/dinofree";

    protected override Tensor Loss(Tensor features, Tensor global, int[]? tracks) =>
        Compute(head.forward(features).@float(), head.forward(global.unsqueeze(2)).squeeze(2).@float(), global.@float()); // loss in fp32 under autocast

    /// <summary>From local prototype logits z (B, K, T), global logits g (B, K) and global features (B, C).</summary>
    public static Tensor Compute(Tensor z, Tensor g, Tensor globalFeatures)
    {
        var q = SinkhornKnopp.Targets(g / 0.05);                    // (B, K)
        var logProbs = Functional.log_softmax(z / 0.1, 1);          // (B, K, T)
        var crossEntropy = -((q.unsqueeze(2) * logProbs).sum(1).mean());
        return crossEntropy + KoLeo.Loss(globalFeatures) * 0.1;
    }
}
