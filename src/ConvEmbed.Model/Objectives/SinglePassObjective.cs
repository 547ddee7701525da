using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// The ConvEmbed idea, shared by its variants: one forward pass gives per-position features F (B, C, T) — each
/// position a pseudo local crop — and their mean over positions, the global view. A head h maps both:
/// z[b,t] = h(F[b,:,t]), g[b] = h(mean_t F[b,:,t]). Subclasses tie z to the g of the same track.
/// </summary>
public abstract class SinglePassObjective : Objective
{
    private readonly Encoder encoder;

    protected SinglePassObjective(EncoderConfig config) => encoder = RegisterModule("enc", new Encoder(config));

    public override Encoder EmbeddingEncoder => encoder;

    public override Tensor Loss(TrainingBatch batch)
    {
        var features = encoder.forward(batch.RequireWindows()); // (B, C, T)
        var global = features.mean(2);                          // (B, C)
        return Loss(features, global);
    }

    /// <summary>The loss from per-position features (B, C, T) and their mean over positions (B, C).</summary>
    protected abstract Tensor Loss(Tensor features, Tensor global);

    public static SinglePassObjective Create(Variant variant, EncoderConfig config) => variant switch
    {
        Variant.InfoNce => new InfoNceObjective(config, stopGradient: true),
        Variant.InfoNceNoStopGrad => new InfoNceObjective(config, stopGradient: false),
        Variant.VicReg => new VicRegObjective(config),
        Variant.DinoFree => new DinoFreeObjective(config),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };
}
