namespace ConvEmbed.Audio.Errors;

/// <summary>The decoded audio is shorter than <see cref="AudioOptions.MinDuration"/>.</summary>
public sealed class AudioTooShortException : AudioException
{
    public AudioTooShortException(TimeSpan duration, TimeSpan minimum)
        : base($"Audio lasts {duration.TotalSeconds:0.###} s, shorter than the minimum of {minimum.TotalSeconds:0.###} s.")
    {
        Duration = duration;
        Minimum = minimum;
    }

    public TimeSpan Duration { get; }
    public TimeSpan Minimum { get; }
}
