namespace ConvEmbed.Audio.Features;

/// <summary>
/// A track's log-mel spectrogram, shape (bands, frames) as in PyTorch: <c>Values[band * Frames + frame]</c>.
/// </summary>
public sealed class LogMel
{
    public LogMel(int bands, int frames, float[] values)
    {
        if (bands <= 0 || frames < 0) throw new ArgumentOutOfRangeException(nameof(bands));
        if (values.Length != (long)bands * frames) throw new ArgumentException("values must hold bands × frames.", nameof(values));
        Bands = bands;
        Frames = frames;
        Values = values;
    }

    public int Bands { get; }
    public int Frames { get; }
    public float[] Values { get; }

    public float this[int band, int frame] => Values[band * Frames + frame];

    /// <summary>One band's values over time.</summary>
    public ReadOnlySpan<float> Band(int band) => Values.AsSpan(band * Frames, Frames);
}
