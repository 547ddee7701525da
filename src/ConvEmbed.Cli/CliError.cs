namespace ConvEmbed.Cli;

/// <summary>A user-facing failure: printed as one line, exit code 1, no stack trace.</summary>
public sealed class CliError(string message) : Exception(message);
