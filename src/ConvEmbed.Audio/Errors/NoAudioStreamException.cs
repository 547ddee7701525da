namespace ConvEmbed.Audio.Errors;

/// <summary>The container is valid but holds no audio stream (e.g. an image or a video without sound).</summary>
public sealed class NoAudioStreamException : AudioException
{
    public NoAudioStreamException(string message, Exception? inner = null) : base(message, inner) { }
}
