using System.Globalization;
using System.Text;

namespace ConvEmbed.Model.Playlists;

/// <summary>
/// A playlist as an extended M3U file in UTF-8 (.m3u8), the form players and media servers open: #EXTINF with the
/// duration in whole seconds (−1 when unknown) and "artist - title", then where the track is — a file path (a local
/// player, or a media server's playlist folder, plays it) or a URL.
/// </summary>
public static class M3u8Playlist
{
    public const string MediaType = "audio/x-mpegurl";

    public sealed record Entry(double? Seconds, string? Artist, string Title, string Location);

    public static string Write(IEnumerable<Entry> entries)
    {
        var text = new StringBuilder("#EXTM3U\n");
        foreach (var e in entries)
        {
            var name = e.Artist is { Length: > 0 } artist ? $"{artist} - {e.Title}" : e.Title;
            var seconds = e.Seconds is { } s ? Math.Round(s).ToString("0", CultureInfo.InvariantCulture) : "-1";
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{seconds},{OneLine(name)}\n").Append(OneLine(e.Location)).Append('\n');
        }
        return text.ToString();
    }

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}
