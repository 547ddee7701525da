using System.Text.Json;
using System.Text.RegularExpressions;
using ConvEmbed.Model.Embeddings;
using SkiaSharp;

namespace ConvEmbed.Cli.Tests.Commands;

public sealed class MapCommandTests
{
    /// <summary>Labels whose vectors cluster around separate axes of 16-D space, plus noise.</summary>
    private static List<TrackEmbedding> Clustered(IReadOnlyList<string> labels, int perLabel, int seed)
    {
        var rng = new Random(seed);
        var list = new List<TrackEmbedding>();
        for (var c = 0; c < labels.Count; c++)
            for (var i = 0; i < perLabel; i++)
                list.Add(new TrackEmbedding($"{labels[c]}/track{i}.wav",
                    Enumerable.Range(0, 16).Select(d => (float)((d == c ? 1 : 0) + 0.3 * (rng.NextDouble() * 2 - 1))).ToArray()));
        return list;
    }

    [Fact]
    public async Task APngMapShowsEachLabelInItsOwnColour()
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Clustered(["ambient", "techno", "folk"], 20, 1));

        var run = await CliProcess.RunAsync(dir.Path, "map", "e.jsonl", "--labels-from-folders", "--out", "out/map.png");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("kNN@10 by label: 1.000 in the embedding space", run.Stdout);
        Assert.Contains("(60 points, 3 label(s))", run.Stdout);
        using var bitmap = SKBitmap.Decode(dir.File("out/map.png"));
        Assert.Equal((1600, 1200), (bitmap.Width, bitmap.Height));
        // Markers are drawn in saturated palette colours; the page itself is white/black/grey.
        var saturated = new Dictionary<SKColor, int>();
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60)
                    saturated[c] = saturated.GetValueOrDefault(c) + 1;
            }
        var colours = saturated.Where(kv => kv.Value >= 100).Select(kv => kv.Key).ToList();
        Assert.True(colours.Count >= 3, $"{colours.Count} marker colours with ≥ 100 pixels: {string.Join(", ", colours)}");
    }

    [Fact]
    public async Task AnHtmlMapIsOneSelfContainedFileWithEveryPoint()
    {
        using var dir = new TempFolder();
        var embeddings = Clustered(["drums", "strings"], 8, 2);
        EmbeddingFile.Write(dir.File("e.jsonl"), embeddings);
        // A label that would end the inline script if it were written as is.
        File.WriteAllLines(dir.File("labels.csv"), embeddings.Select(e => $"{e.Path},{(e.Path.StartsWith("drums") ? "a</script><b>" : "strings")}"));

        var run = await CliProcess.RunAsync(dir.Path, "map", "e.jsonl", "--labels", "labels.csv", "--out", "map.html", "--title", "My library");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var html = File.ReadAllText(dir.File("map.html"));
        foreach (var placeholder in new[] { "/*DATA*/", "/*STYLE*/", "/*SCATTER*/", "/*MAPVIEW*/", "/*STANDALONE*/" })
            Assert.DoesNotContain(placeholder, html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("<title>My library</title>", html);
        Assert.Contains("ConvEmbedScatter", html);
        Assert.Contains("ConvEmbedMapView", html);
        Assert.Equal(3, Regex.Matches(html, "</script>").Count); // data, scatter.js + mapview.js, standalone.js; none from the label

        var data = Regex.Match(html, @"window\.CONVEMBED_MAP = (\{.*?\});\s*</script>", RegexOptions.Singleline);
        Assert.True(data.Success, "no inline data");
        using var json = JsonDocument.Parse(data.Groups[1].Value);
        var points = json.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(16, points.Count);
        Assert.Equal(8, points.Count(p => p.GetProperty("label").GetString() == "a</script><b>"));
        Assert.All(points, p => Assert.True(double.IsFinite(p.GetProperty("x").GetDouble())));
    }

    [Fact]
    public async Task WithoutLabelsEveryPointSharesOneColour()
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.csv"), Clustered(["x", "y"], 6, 3));
        var run = await CliProcess.RunAsync(dir.Path, "map", "e.csv", "--out", "map.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("(12 points, 1 label(s))", run.Stdout);
        Assert.DoesNotContain("kNN@10", run.Stdout);
    }

    [Theory]
    [InlineData(2, "map", "e.jsonl", "--out", "map.svg")]
    [InlineData(2, "map", "e.jsonl", "--out", "m.png", "--labels", "l.csv", "--labels-from-folders")]
    [InlineData(2, "map", "e.jsonl")]
    [InlineData(1, "map", "missing.jsonl", "--out", "m.png")]
    [InlineData(1, "map", "one.jsonl", "--out", "m.png")]
    public async Task BadInputGetsAOneLineError(int exitCode, params string[] args)
    {
        using var dir = new TempFolder();
        EmbeddingFile.Write(dir.File("e.jsonl"), Clustered(["x", "y"], 3, 4));
        EmbeddingFile.Write(dir.File("one.jsonl"), Clustered(["x"], 1, 4));
        var run = await CliProcess.RunAsync(dir.Path, args);
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("m.png")));
    }
}
