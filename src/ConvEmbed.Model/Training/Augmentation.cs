using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>
/// Light augmentation in the normalised log-mel domain, for every objective (docs/method.md#augmentation): a random gain of
/// ±6 dB per window (a shift of ±0.6·ln 10 in ln-power, divided by the normalisation std) plus Gaussian noise.
/// Random numbers come from libtorch's seeded generator of the batch's device, so runs are reproducible (per device).
/// </summary>
public sealed record Augmentation(double NormalisationStd, double GainDb = 6.0, double NoiseStd = 0.05)
{
    public double GainInNormalisedUnits => GainDb / 10.0 * Math.Log(10.0) / NormalisationStd;

    /// <summary>Different views inside each window (single-pass objectives only), applied to the host batch before
    /// <see cref="Apply"/>; null (the default) leaves windows whole.</summary>
    public ChunkAugmentation? Chunks { get; init; }

    /// <summary>x (B, 64, W) → x + U(−gain, gain) per window + N(0, noise²) per value.</summary>
    public Tensor Apply(Tensor x)
    {
        var shape = x.Shape;
        var gain = (Torch.Torch.rand([shape[0], 1, 1], device: x.Device) * 2.0 - 1.0) * GainInNormalisedUnits;
        return x + gain + Torch.Torch.randn(shape, device: x.Device) * NoiseStd;
    }
}
