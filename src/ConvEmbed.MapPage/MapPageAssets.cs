using System.Reflection;

namespace ConvEmbed.MapPage;

/// <summary>
/// What both map pages use, the service's live page at <c>/map/</c> and the offline file of <c>convembed map --out map.html</c>:
/// the stylesheet, the canvas scatter plot and the view around it (toolbar, title search, track rows): classic scripts,
/// so that the CLI can inline them. Embedded in this assembly under <see cref="ResourcePrefix"/>; each page keeps its own
/// HTML and scripts.
/// </summary>
public static class MapPageAssets
{
    public const string Stylesheet = "map.css";
    public const string Scatter = "scatter.js";
    /// <summary>ConvEmbedMapView: runs after <see cref="Scatter"/>, whose <c>ConvEmbedScatter.h</c> it uses.</summary>
    public const string View = "mapview.js";

    /// <summary>An asset's manifest resource name is <c>{ResourcePrefix}.{name}</c> (what an <c>EmbeddedFileProvider</c> takes as its base namespace).</summary>
    public const string ResourcePrefix = "ConvEmbed.MapPage.assets";

    public static IReadOnlyList<string> Names { get; } = [Stylesheet, Scatter, View];

    public static Assembly Assembly => typeof(MapPageAssets).Assembly;

    public static Stream Open(string name) =>
        Names.Contains(name) && Assembly.GetManifestResourceStream($"{ResourcePrefix}.{name}") is { } stream
            ? stream
            : throw new ArgumentException($"{name} is not a map page asset ({string.Join(", ", Names)})", nameof(name));

    public static string ReadText(string name)
    {
        using var reader = new StreamReader(Open(name));
        return reader.ReadToEnd();
    }
}
