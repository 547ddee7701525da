namespace ConvEmbed.Audio.Processes;

/// <summary>A program could not be started: not installed, or not executable. Callers say which package brings it.</summary>
public sealed class ProgramMissingException(string program, string reason, Exception? inner = null)
    : Exception($"'{program}' could not be started: {reason}", inner)
{
    public string Program { get; } = program;
}
