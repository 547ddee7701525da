using System.Reflection;
using System.Text.Json;

namespace ConvEmbed.Cli.Map;

/// <summary>
/// The map as one self-contained HTML file: the service's map page parts (wwwroot/map: standalone.html, map.css,
/// scatter.js, standalone.js, embedded in this program at build time) with the points inlined. Opens offline.
/// </summary>
public static class MapHtml
{
    public static string Render(LabelledMap map)
    {
        var points = map.Points.Select((p, i) => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), x = p.X, y = p.Y,
            title = map.Names[i], label = map.Labels[i] });
        // Inside <script>, "</script" must not appear: the default JSON encoder writes '<' as \u003C.
        var data = JsonSerializer.Serialize(new { title = map.Title, points });
        return Resource("standalone.html")
            .Replace("/*STYLE*/", Resource("map.css"), StringComparison.Ordinal)
            .Replace("/*SCATTER*/", Resource("scatter.js"), StringComparison.Ordinal)
            .Replace("/*STANDALONE*/", Resource("standalone.js"), StringComparison.Ordinal)
            .Replace("<title></title>", $"<title>{System.Net.WebUtility.HtmlEncode(map.Title)}</title>", StringComparison.Ordinal)
            .Replace("/*DATA*/", $"window.CONVEMBED_MAP = {data};", StringComparison.Ordinal); // last: track names are not searched for placeholders
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"map/{name}")
                           ?? throw new InvalidOperationException($"map/{name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
