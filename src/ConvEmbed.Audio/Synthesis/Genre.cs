namespace ConvEmbed.Audio.Synthesis;

/// <summary>
/// A class of synthetic music: the distribution its tracks are drawn from. Tracks differ from other classes the way
/// genres do (tempo and rhythm, register and scale, instrument timbres, percussion) but every parameter is a range or
/// a per-track variation, and ranges overlap between classes, so no single statistic separates them.
/// Drum patterns are 16 steps per bar, each a hit probability (null: no drums).
/// </summary>
public sealed record Genre(
    string Name,
    double TempoMin,
    double TempoMax,
    double Swing,
    int MelodyLow,
    int MelodyRange,
    int[] Scale,
    double[] NotesPerBeat,
    double RestProbability,
    Timbre Lead,
    Timbre? Pad,
    Timbre? Bass,
    bool Arpeggio,
    double[]? Kick,
    double[]? Snare,
    double[]? Hat,
    double NoiseLevel);
