using System.CommandLine;

namespace ConvEmbed.Cli.Tests.Runner;

/// <summary>Which failures are one line (the user can act on them) and which are bugs that keep their stack trace.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandRunnerTests
{
    private static async Task<(int Exit, string Stderr)> Run(Exception toThrow)
    {
        var root = new RootCommand("test");
        var fail = new Command("fail");
        fail.SetAction(new Func<ParseResult, int>(_ => throw toThrow));
        root.Subcommands.Add(fail);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            return (await CommandRunner.RunAsync(root, ["fail"]), error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public async Task ABugKeepsItsStackTraceInALogFile()
    {
        var (exit, stderr) = await Run(new InvalidOperationException("the list was modified"));
        Assert.Equal(CommandRunner.UnexpectedExitCode, exit);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("convembed: unexpected error (InvalidOperationException): the list was modified", line);
        var log = System.Text.RegularExpressions.Regex.Match(line, @"stack trace is in (\S+\.log)").Groups[1].Value;
        Assert.True(File.Exists(log), line);
        var text = File.ReadAllText(log);
        File.Delete(log);
        Assert.Contains("System.InvalidOperationException: the list was modified", text);
        Assert.Contains(" at ", text); // the trace itself
    }

    [Theory]
    [InlineData(typeof(CliError))]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(ArgumentException))]
    public async Task AnErrorTheProgramMeansIsOneLine(Type type)
    {
        var (exit, stderr) = await Run((Exception)Activator.CreateInstance(type, "no such model: /tmp/m")!);
        Assert.Equal(1, exit);
        Assert.Equal("convembed: no such model: /tmp/m", stderr.Trim());
    }

    [Fact]
    public async Task AnArgumentBugIsNotMistakenForAUserError()
    {
        var (exit, stderr) = await Run(new ArgumentOutOfRangeException("index"));
        Assert.Equal(CommandRunner.UnexpectedExitCode, exit);
        Assert.Contains("unexpected error (ArgumentOutOfRangeException)", stderr);
        var log = System.Text.RegularExpressions.Regex.Match(stderr, @"stack trace is in (\S+\.log)").Groups[1].Value;
        File.Delete(log);
    }
}

/// <summary>Tests that swap Console.Error run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
