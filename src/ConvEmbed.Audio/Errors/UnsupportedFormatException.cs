namespace ConvEmbed.Audio.Errors;

/// <summary>The bytes are not an audio format we or ffmpeg can read.</summary>
public sealed class UnsupportedFormatException : AudioException
{
    public UnsupportedFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
