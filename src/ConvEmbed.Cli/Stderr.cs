using Spectre.Console;

namespace ConvEmbed.Cli;

/// <summary>Progress and notes go to stderr, so stdout carries only results (tables, JSON).</summary>
public static class Stderr
{
    public static IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });

    public static void Line(string text) => System.Console.Error.WriteLine(text);
}
