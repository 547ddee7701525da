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
        if (GlobalFromOtherWindows)
        {
            // Each window's global view is the mean over the positions of the track's other windows (COLA's positives
            // from other segments of a clip, in one pass): (B, C), window b·V+i against its V−1 siblings.
            long b = features.size(0), c = features.size(1), t = features.size(2);
            if (v < 2 || b % v != 0) throw new ArgumentException($"globals from other windows need 2 or more windows per track dividing the batch (batch {b}, {v} per track)");
            var sums = features.sum(2).reshape(b / v, v, c);
            var others = ((sums.sum(1, keepdim: true) - sums) / ((v - 1) * t)).reshape(b, c);
            // One global per window: its track, or (unknown) a stand-in shared by the windows of one draw.
            var tracks = Enumerable.Range(0, (int)b).Select(i => batch.Tracks is { } known && known[i] >= 0 ? known[i] : -1 - i / v).ToArray();
            return Loss(features, others, tracks);
        }
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

    /// <summary>The loss from per-position features (B, C, T) and one global view per row (B, C) — their mean over
    /// positions, or with <see cref="GlobalFromOtherWindows"/> the mean of the track's other windows — with the library
    /// track of each row (null or −1: unknown; a loss that keeps globals across steps or groups rows by track uses it).</summary>
    protected abstract Tensor Loss(Tensor features, Tensor global, int[]? tracks);

    /// <summary>Whether, with several windows per track, each window's locals are tied to the mean of the track's
    /// other windows instead of one global over all of them (a research setting; only InfoNCE variants have it).</summary>
    protected virtual bool GlobalFromOtherWindows => false;

    /// <summary>The variant on <paramref name="config"/>; <paramref name="temperature"/> is the InfoNCE variants' τ and
    /// <paramref name="queueSize"/> their queue of past globals (0: none; other variants refuse one).</summary>
    public static SinglePassObjective Create(Variant variant, EncoderConfig config, double temperature = InfoNceObjective.Temperature, int queueSize = 0,
        bool otherWindows = false) => variant switch
    {
        Variant.InfoNce => new InfoNceObjective(config, stopGradient: true, temperature, queueSize, otherWindows),
        Variant.InfoNceNoStopGrad => new InfoNceObjective(config, stopGradient: false, temperature, queueSize, otherWindows),
        _ when queueSize > 0 => throw new ArgumentException($"a queue of past globals needs an InfoNCE variant (was {variant.Name()})"),
        _ when otherWindows => throw new ArgumentException($"globals from other windows need an InfoNCE variant (was {variant.Name()})"),
        Variant.VicReg => new VicRegObjective(config),
        Variant.DinoFree => new DinoFreeObjective(config),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };
}
