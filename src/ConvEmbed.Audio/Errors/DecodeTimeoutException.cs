namespace ConvEmbed.Audio.Errors;

/// <summary>ffmpeg did not finish within AudioOptions.FfmpegTimeout and was killed.</summary>
public sealed class DecodeTimeoutException : AudioException
{
    public DecodeTimeoutException(string message, Exception? inner = null) : base(message, inner) { }
}
