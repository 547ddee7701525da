namespace ConvEmbed.Audio.Errors;

/// <summary>The format was recognised but the data is damaged or truncated.</summary>
public sealed class CorruptAudioException : AudioException
{
    public CorruptAudioException(string message, Exception? inner = null) : base(message, inner) { }
}
