using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Cli.Tests.Commands;

public sealed class RadioCommandTests
{
    /// <summary>Three tight groups of tracks: a radio from one track of a group plays the rest of that group first.</summary>
    private static List<TrackEmbedding> Groups()
    {
        var rng = new Random(3);
        return new[] { "ambient", "techno", "folk" }.SelectMany((label, c) => Enumerable.Range(0, 5).Select(i => new TrackEmbedding($"{label}/track{i}.wav",
            Enumerable.Range(0, 8).Select(d => (float)((d == c ? 1 : 0) + 0.1 * (rng.NextDouble() * 2 - 1))).ToArray()))).ToList();
    }

    [Fact]
    public async Task ARadioPlaysTheSeedsNeighboursAsAnM3u8()
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Groups());

        var run = await CliProcess.RunAsync(dir.Path, "radio", "e.jsonl", "--seed", "techno/track0.wav", "--count", "4", "--diversity", "0", "--out", "out/radio.m3u8");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = File.ReadAllLines(dir.File("out/radio.m3u8"));
        Assert.Equal("#EXTM3U", lines[0]);
        var entries = lines.Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("techno/", e));
        Assert.DoesNotContain("techno/track0.wav", entries);
        Assert.All(lines.Where(l => l.StartsWith("#EXTINF")), l => Assert.StartsWith("#EXTINF:-1,track", l));
    }

    [Fact]
    public async Task AtMostNPerLabelSpreadsTheRadioOverTheLabels()
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Groups());

        var run = await CliProcess.RunAsync(dir.Path, "radio", "e.jsonl", "--seed", "ambient/track1.wav", "--labels-from-folders",
            "--max-per-label", "1", "--count", "5", "--out", "radio.m3u8");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var entries = File.ReadAllLines(dir.File("radio.m3u8")).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(["ambient", "folk", "techno"], entries.Select(e => e.Split('/')[0]).Order()); // one per label, then nothing left
    }

    [Theory]
    [InlineData(2, "--seed", "techno/track0.wav", "--count", "0", "--out", "r.m3u8")]
    [InlineData(2, "--seed", "techno/track0.wav", "--out", "r.txt")]
    [InlineData(1, "--seed", "jazz/track9.wav", "--out", "r.m3u8")]
    [InlineData(1, "--seed", "track0", "--out", "r.m3u8")] // names three tracks
    public async Task BadArgumentsGiveOneLineAndANonZeroExit(int exitCode, params string[] args)
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Groups());

        var run = await CliProcess.RunAsync(dir.Path, ["radio", "e.jsonl", .. args]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.StartsWith("convembed: ", run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.False(File.Exists(dir.File("r.m3u8")));
    }
}
