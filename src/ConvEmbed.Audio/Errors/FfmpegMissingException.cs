namespace ConvEmbed.Audio.Errors;

/// <summary>A compressed format needs ffmpeg and it could not be started.</summary>
public sealed class FfmpegMissingException : AudioException
{
    public FfmpegMissingException(string message, Exception? inner = null) : base(message, inner) { }
}
