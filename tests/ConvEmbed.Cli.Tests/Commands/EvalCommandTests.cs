using System.Text.Json;
using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Cli.Tests.Commands;

public sealed class EvalCommandTests
{
    /// <summary>Three labels whose embeddings cluster around separate axes, plus noise.</summary>
    private static List<TrackEmbedding> Clustered(int labels, int perLabel, double noise, int seed)
    {
        var rng = new Random(seed);
        var list = new List<TrackEmbedding>();
        for (var c = 0; c < labels; c++)
            for (var i = 0; i < perLabel; i++)
                list.Add(new TrackEmbedding($"label{c}/track{i}.wav",
                    Enumerable.Range(0, 8).Select(d => (float)((d == c ? 1 : 0) + noise * (rng.NextDouble() * 2 - 1))).ToArray()));
        return list;
    }

    [Fact]
    public async Task EvalOfSeparableEmbeddingsPrintsPerfectScoresAsJson()
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Clustered(3, 10, 0.2, 1));

        var run = await CliProcess.RunAsync(dir.Path, "eval", "e.jsonl", "--labels-from-folders", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1.0, json.RootElement.GetProperty("knn20").GetDouble());
        Assert.Equal(1.0, json.RootElement.GetProperty("ami").GetDouble(), 6);
        Assert.Equal(30, json.RootElement.GetProperty("tracks").GetInt32());
    }

    [Fact]
    public async Task EvalWithLabelsCsvPrintsATable()
    {
        using var dir = new TempFolder();
        var embeddings = Clustered(2, 6, 3.0, 2);
        EmbeddingFile.Write(dir.File("e.csv"), embeddings);
        File.WriteAllLines(dir.File("labels.csv"), embeddings.Select(e => $"{e.Path},{e.Path.Split('/')[0]}"));

        var run = await CliProcess.RunAsync(dir.Path, "eval", "e.csv", "--labels", "labels.csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kNN@20", run.Stdout);
        Assert.Contains("e.csv", run.Stdout);
    }

    [Theory]
    [InlineData("eval", "missing.jsonl", "--labels-from-folders")]
    [InlineData("eval", "bad.jsonl", "--labels-from-folders")]
    public async Task EvalOfAMissingOrCorruptFileFailsWithOneLine(params string[] args)
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("bad.jsonl"), "not json\n");

        var run = await CliProcess.RunAsync(dir.Path, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("convembed: ", run.Stderr);
    }

    [Theory]
    [InlineData("eval", "e.jsonl")]
    [InlineData("eval", "e.jsonl", "--labels", "x.csv", "--labels-from-folders")]
    [InlineData("evaluate")]
    [InlineData("eval", "e.jsonl", "--labels-from-folders", "--no-such-option")]
    public async Task WrongArgumentsFailWithOneLineAndExitCode2(params string[] args)
    {
        using var dir = new TempFolder();

        var run = await CliProcess.RunAsync(dir.Path, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains("--help", run.Stderr);
    }
}
