using System.Reflection;
using System.Text.Json;
using ConvEmbed.MapPage;

namespace ConvEmbed.Cli.Map;

/// <summary>
/// The map as one self-contained HTML file: this program's page (Map/page: standalone.html, standalone.js, embedded at
/// build time) with the stylesheet and scripts it shares with the service's page (<see cref="MapPageAssets"/>) and the
/// points inlined. Opens offline.
/// </summary>
public static class MapHtml
{
    public static string Render(LabelledMap map)
    {
        var points = map.Points.Select((p, i) => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), x = p.X, y = p.Y,
            title = map.Names[i], label = map.Labels[i] });
        // Inside <script>, "</script" must not appear: the default JSON encoder writes '<' as \u003C.
        var data = JsonSerializer.Serialize(new { title = map.Title, points });
        return PageResource("standalone.html")
            .Replace("/*STYLE*/", MapPageAssets.ReadText(MapPageAssets.Stylesheet), StringComparison.Ordinal)
            .Replace("/*SCATTER*/", MapPageAssets.ReadText(MapPageAssets.Scatter), StringComparison.Ordinal)
            .Replace("/*MAPVIEW*/", MapPageAssets.ReadText(MapPageAssets.View), StringComparison.Ordinal)
            .Replace("/*STANDALONE*/", PageResource("standalone.js"), StringComparison.Ordinal)
            .Replace("<title></title>", $"<title>{System.Net.WebUtility.HtmlEncode(map.Title)}</title>", StringComparison.Ordinal)
            .Replace("/*DATA*/", $"window.CONVEMBED_MAP = {data};", StringComparison.Ordinal); // last: track names are not searched for placeholders
    }

    private static string PageResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"map/{name}")
                           ?? throw new InvalidOperationException($"map/{name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
