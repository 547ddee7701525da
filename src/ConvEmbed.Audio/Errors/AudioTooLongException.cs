namespace ConvEmbed.Audio.Errors;

/// <summary>The audio is longer than <see cref="AudioOptions.MaxDuration"/>; raised as soon as the cap is passed.</summary>
public sealed class AudioTooLongException : AudioException
{
    public AudioTooLongException(TimeSpan maximum)
        : base($"Audio is longer than the maximum of {maximum.TotalMinutes:0.##} minutes.")
    {
        Maximum = maximum;
    }

    public TimeSpan Maximum { get; }
}
