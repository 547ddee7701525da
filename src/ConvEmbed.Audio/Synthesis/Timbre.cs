namespace ConvEmbed.Audio.Synthesis;

/// <summary>
/// How one instrument sounds: a harmonic spectrum (amplitude n^-Rolloff, optionally odd harmonics only) and an
/// attack/decay/sustain/release envelope, with optional vibrato, detuned chorus and tanh drive.
/// </summary>
public sealed record Timbre(
    int Harmonics,
    double Rolloff,
    bool OddOnly,
    double Attack,
    double Decay,
    double Sustain,
    double Release,
    double VibratoHz = 0,
    double VibratoDepth = 0,
    double DetuneCents = 0,
    double Drive = 0)
{
    /// <summary>A per-track variation of this timbre, so a class is a distribution of sounds, not one preset.</summary>
    public Timbre Vary(Random rng)
    {
        double Scale(double v, double spread) => v * Math.Exp((rng.NextDouble() * 2 - 1) * spread);
        return this with
        {
            Harmonics = Math.Max(1, Harmonics + rng.Next(-2, 3)),
            Rolloff = Math.Max(0.3, Rolloff + (rng.NextDouble() * 2 - 1) * 0.35),
            Attack = Scale(Attack, 0.5),
            Decay = Scale(Decay, 0.5),
            Sustain = Math.Clamp(Sustain + (rng.NextDouble() * 2 - 1) * 0.15, 0, 1),
            Release = Scale(Release, 0.4),
            VibratoDepth = Scale(VibratoDepth, 0.5),
            DetuneCents = Scale(DetuneCents, 0.5),
            Drive = Scale(Drive, 0.4),
        };
    }
}
