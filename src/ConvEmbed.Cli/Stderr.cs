namespace ConvEmbed.Cli;

/// <summary>Progress and notes go to stderr, so stdout carries only results (tables, JSON).</summary>
public static class Stderr
{
    public static void Line(string text) => System.Console.Error.WriteLine(text);
}
