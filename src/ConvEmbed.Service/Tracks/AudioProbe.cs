using System.Text.Json;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Processes;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Tracks;

/// <summary>
/// What FFmpeg says about a file: its container (for the Content-Type it is served with), its declared length and its
/// title, artist and album tags — read in process (<see cref="InProcessDecoder"/>) when the library is there, else by
/// ffprobe. Best effort: a file neither can read (the managed WAV path accepts some) gives an empty answer.
/// </summary>
public sealed class AudioProbe(IOptions<AudioOptions> audio, ILogger<AudioProbe> logger)
{
    public sealed record Result(string ContentType, string? Title, string? Artist, string? Album, double? DeclaredSeconds = null)
    {
        /// <summary>
        /// True when the container states an exact length (FLAC's STREAMINFO, MP4's moov) and the decoded audio is
        /// clearly shorter: a cut-off file that ffmpeg decodes up to the cut without failing. Formats whose length
        /// ffprobe estimates from the bitrate (mp3, ogg) are not judged, so a real file is never refused on a guess.
        /// </summary>
        public bool IsTruncated(double decodedSeconds) =>
            DeclaredSeconds is { } declared && declared > 0 && ContentType is "audio/flac" or "audio/mp4"
            && decodedSeconds < 0.9 * declared - 0.5;
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<Result> ProbeAsync(string path, CancellationToken ct)
    {
        if (audio.Value.InProcess && InProcessDecoder.IsAvailable)
        {
            try
            {
                var info = await InProcessDecoder.ProbeAsync(path, Timeout, ct);
                return new Result(ContentTypeOf(info.FormatName), info.Title, info.Artist, info.Album, info.DeclaredSeconds);
            }
            catch (Exception e) when (e is AudioException or IOException)
            {
                logger.LogInformation("FFmpeg could not read {Path}: {Reason}", path, e.Message);
                return new Result("application/octet-stream", null, null, null);
            }
        }
        string[] arguments = ["-v", "error", "-show_entries", "format=format_name,duration:format_tags=title,artist,album", "-of", "json", path];
        try
        {
            var probe = await ChildProcess.CaptureAsync("ffprobe", arguments, Timeout, ct);
            if (probe.ExitCode == 0) return Parse(probe.Text);
            logger.LogInformation("ffprobe could not read {Path} (exit {Exit}): {Errors}", path, probe.ExitCode, probe.Errors);
        }
        catch (Exception e) when (e is ProgramMissingException or TimeoutException or JsonException)
        {
            logger.LogWarning("ffprobe gave no answer for {Path}: {Reason}", path, e.Message);
        }
        return new Result("application/octet-stream", null, null, null);
    }

    private static Result Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("format", out var format)) return new Result("application/octet-stream", null, null, null);
        var name = format.TryGetProperty("format_name", out var n) ? n.GetString() ?? "" : "";
        string? Tag(string key)
        {
            if (!format.TryGetProperty("tags", out var tags)) return null;
            foreach (var p in tags.EnumerateObject())
                if (p.Name.Equals(key, StringComparison.OrdinalIgnoreCase) && p.Value.GetString() is { } v && !string.IsNullOrWhiteSpace(v))
                    return v.Trim();
            return null;
        }
        double? declared = format.TryGetProperty("duration", out var d) && double.TryParse(d.GetString(),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        return new Result(ContentTypeOf(name), Tag("title"), Tag("artist"), Tag("album"), declared);
    }

    /// <summary>ffprobe's format name (a comma-separated list of aliases) to a media type a browser plays.</summary>
    public static string ContentTypeOf(string formatName)
    {
        var names = formatName.Split(',');
        if (names.Contains("mp3")) return "audio/mpeg";
        if (names.Contains("flac")) return "audio/flac";
        if (names.Contains("ogg")) return "audio/ogg";
        if (names.Contains("wav")) return "audio/wav";
        if (names.Contains("mp4") || names.Contains("m4a")) return "audio/mp4";
        if (names.Contains("webm") || names.Contains("matroska")) return "audio/webm";
        if (names.Contains("aiff")) return "audio/aiff";
        return "application/octet-stream";
    }
}
