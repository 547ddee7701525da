using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Model.Tests.Embeddings;

public class TrackLabelsTests
{
    private static TrackLabels Csv(string content) => TrackLabels.FromCsv(new StringReader(content), "labels.csv");

    [Fact]
    public void CsvWithHeaderAndQuotedFieldsIsRead()
    {
        var labels = Csv("path,label\nrock/a.ogg,rock\n\"jazz/b, live.ogg\",\"jazz, modal\"\n");
        Assert.Equal(2, labels.Count);
        Assert.True(labels.TryGetLabel("jazz/b, live.ogg", out var label));
        Assert.Equal("jazz, modal", label);
    }

    [Fact]
    public void PathsMatchAcrossSeparatorsAndLeadingDot()
    {
        var labels = Csv("./rock/a.ogg,rock\n");
        Assert.True(labels.TryGetLabel(@"rock\a.ogg", out var label));
        Assert.Equal("rock", label);
    }

    [Fact]
    public void FoldersGiveTheFirstLevelAsLabel()
    {
        var labels = TrackLabels.FromFolders(["rock/a.ogg", "rock/live/b.ogg", @"jazz\c.flac"]);
        var embeddings = new[] { "rock/live/b.ogg", "jazz/c.flac", "rock/a.ogg" }
            .Select(p => new TrackEmbedding(p, [1f])).ToArray();
        Assert.Equal(["rock", "jazz", "rock"], labels.For(embeddings));
    }

    [Fact]
    public void PathWithoutFolderHasNoLabel()
    {
        var error = Assert.Throws<ArgumentException>(() => TrackLabels.FromFolders(["a.ogg"]));
        Assert.Contains("'a.ogg' has no folder", error.Message);
    }

    [Fact]
    public void TracksWithoutLabelAreListed()
    {
        var labels = Csv("rock/a.ogg,rock\n");
        var error = Assert.Throws<InvalidDataException>(() =>
            labels.For([new TrackEmbedding("rock/a.ogg", [1f]), new TrackEmbedding("pop/x.ogg", [1f])]));
        Assert.Contains("1 of 2 tracks have no label, e.g. 'pop/x.ogg'", error.Message);
    }

    [Theory]
    [InlineData("a.ogg,rock,extra\n", "labels.csv:1: expected 2 fields path,label, found 3")]
    [InlineData("a.ogg,rock\na.ogg,jazz\n", "labels.csv:2: 'a.ogg' is labelled both 'rock' and 'jazz'")]
    [InlineData("a.ogg,\n", "labels.csv:1: empty path or label")]
    [InlineData("path,label\n", "labels.csv: no labels in the file")]
    public void MalformedLabelsFileNamesTheLineAndTheProblem(string content, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Csv(content));
        Assert.Contains(message, error.Message);
    }
}
