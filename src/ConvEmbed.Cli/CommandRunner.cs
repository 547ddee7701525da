using System.CommandLine;

namespace ConvEmbed.Cli;

/// <summary>
/// Runs the command line so that every failure is one line on stderr and a non-zero exit:
/// 2 for wrong arguments, 1 for anything that went wrong while running (bad file, missing model…).
/// </summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // An unknown word explains more than the "command required" it causes.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            var help = string.Join(' ', new[] { "convembed", CommandPath(parsed), "--help" }.Where(w => w.Length > 0));
            Console.Error.WriteLine($"convembed: {OneLine(error.Message)} (see '{help}')");
            return 2;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"convembed: {OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("convembed: cancelled");
            return 130;
        }
    }

    /// <summary>Some messages (System.CommandLine's list of allowed values, ffmpeg's stderr) span lines; the contract is one.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsUserError(Exception e) =>
        e is CliError or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException
            or UnauthorizedAccessException or IOException;

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
