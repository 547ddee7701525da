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
        var v = batch.WindowsPerTrack;
        if (v > 1)
        {
            // V windows of one track are one wider pseudo-crop set: (B, C, T) → (B/V, C, V·T), one global per track.
            long b = features.size(0), c = features.size(1), t = features.size(2);
            if (b % v != 0) throw new ArgumentException($"a batch of {b} windows cannot hold {v} windows per track");
            features = features.reshape(b / v, v, c, t).permute(0, 2, 1, 3).reshape(b / v, c, v * t);
        }
        var global = features.mean(2);                          // (B/V, C)
        return Loss(features, global, batch.GlobalTracks);
    }

    /// <summary>The loss from per-position features (B, C, T) and their mean over positions (B, C).</summary>
    protected abstract Tensor Loss(Tensor features, Tensor global);

    /// <summary>The same, knowing which library track each global comes from (null: unknown); only a loss that keeps
    /// globals across steps needs that.</summary>
    protected virtual Tensor Loss(Tensor features, Tensor global, int[]? tracks) => Loss(features, global);

    /// <summary>The variant on <paramref name="config"/>; <paramref name="temperature"/> is the InfoNCE variants' τ and
    /// <paramref name="queueSize"/> their queue of past globals (0: none; other variants refuse one).</summary>
    public static SinglePassObjective Create(Variant variant, EncoderConfig config, double temperature = InfoNceObjective.Temperature, int queueSize = 0) => variant switch
    {
        Variant.InfoNce => new InfoNceObjective(config, stopGradient: true, temperature, queueSize),
        Variant.InfoNceNoStopGrad => new InfoNceObjective(config, stopGradient: false, temperature, queueSize),
        _ when queueSize > 0 => throw new ArgumentException($"a queue of past globals needs an InfoNCE variant (was {variant.Name()})"),
        Variant.VicReg => new VicRegObjective(config),
        Variant.DinoFree => new DinoFreeObjective(config),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };
}
