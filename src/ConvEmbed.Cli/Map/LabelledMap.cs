using ConvEmbed.Model.Mapping;

namespace ConvEmbed.Cli.Map;

/// <summary>A map to draw: each track's name, position and label (the colour), with the labels by count, most common first.</summary>
public sealed record LabelledMap(string Title, IReadOnlyList<string> Names, IReadOnlyList<MapPoint> Points, IReadOnlyList<string> Labels)
{
    public const string Unlabelled = "unlabelled";

    public IReadOnlyList<(string Label, int Count)> LabelsByCount() =>
        Labels.GroupBy(l => l).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
}
