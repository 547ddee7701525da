using System.Globalization;
using System.Text;

namespace ConvEmbed.Service.Playlists;

/// <summary>
/// A playlist as an extended M3U file in UTF-8 (.m3u8), the form players and media servers open: #EXTINF with the
/// duration in whole seconds and "artist - title", then where to find the track — the library file's path (a local
/// player, or a media server's playlist folder, plays it) or the service's audio URL for an upload.
/// </summary>
public static class M3u8Playlist
{
    public const string MediaType = "audio/x-mpegurl";

    /// <summary>Whether the client asked for M3U8 (<c>?format=m3u8</c>, or an Accept header naming an M3U type).</summary>
    public static bool IsWanted(HttpRequest request, string? format) =>
        string.Equals(format, "m3u8", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.Any(a => a is not null && (a.Contains("mpegurl", StringComparison.OrdinalIgnoreCase)));

    /// <param name="baseUrl">The service's address as the client reached it, for the entries of uploads.</param>
    public static string Write(Playlist playlist, string baseUrl)
    {
        var text = new StringBuilder("#EXTM3U\n");
        foreach (var item in playlist.Items)
        {
            var name = item.Artist is { Length: > 0 } artist ? $"{artist} - {item.Title}" : item.Title;
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{Math.Round(item.DurationSeconds):0},{OneLine(name)}\n");
            text.Append(item.Path ?? baseUrl.TrimEnd('/') + item.AudioUrl).Append('\n');
        }
        return text.ToString();
    }

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}
