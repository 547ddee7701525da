namespace ConvEmbed.Audio.Errors;

/// <summary>Base of every error the front-end raises for bad input, so callers (the service's 422, the CLI) catch one type.</summary>
public abstract class AudioException : Exception
{
    protected AudioException(string message, Exception? inner = null) : base(message, inner) { }
}
