using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConvEmbed.Audio.Processes;
using ConvEmbed.Model.Data;

namespace ConvEmbed.Cli.Corpus;

/// <summary>One music file of the corpus, as the manifest lists it.</summary>
public sealed record CorpusTrack(string Package, string Path, double Seconds, string Codec, string License, string Source);

/// <summary>
/// The real-music corpus: game soundtracks that Debian ships under free licences. Each package is fetched with
/// <c>apt-get download</c> into a cache folder, unpacked (only its music and its copyright file), and every audio file
/// under a folder named music (or Music, Musics) longer than <see cref="MinSeconds"/> is copied to
/// <c>DIR/&lt;package&gt;/</c>; the package is the label. <c>DIR/manifest.tsv</c> lists package, path, duration, codec,
/// licence and the file's place in the package. Running it again reuses the cache and the copies.
/// </summary>
public sealed class DebianCorpus(string folder, string cacheFolder, Action<string> progress)
{
    // A download or an unpack of one package: minutes on a slow mirror, never hours.
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(30);

    public static readonly IReadOnlyList<string> Packages =
    [
        "naev-data", "supertux-data", "widelands-data", "hedgewars-data", "pingus-data", "freedroidrpg-data",
        "extremetuxracer-data", "planetblupi-music-ogg", "xmoto-data",
    ];

    public const double MinSeconds = 30;
    public const string ManifestName = "manifest.tsv";

    /// <summary>Builds (or completes) the corpus; returns the tracks and the packages that could not be had, with why.</summary>
    public async Task<(IReadOnlyList<CorpusTrack> Tracks, IReadOnlyList<string> Skipped)> BuildAsync(IReadOnlyList<string> packages, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(cacheFolder);
        var tracks = new List<CorpusTrack>();
        var skipped = new List<string>();
        for (int i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var prefix = $"[{i + 1}/{packages.Count}] {package}";
            try
            {
                var deb = await DownloadAsync(package, prefix, ct);
                var unpacked = await UnpackAsync(package, deb, ct);
                var found = await CollectAsync(package, unpacked, prefix, ct);
                tracks.AddRange(found);
            }
            catch (CorpusException e)
            {
                progress($"{prefix}: skipped — {e.Message}");
                skipped.Add($"{package}: {e.Message}");
            }
        }
        await WriteManifestAsync(tracks, ct);
        return (tracks, skipped);
    }

    private async Task<string> DownloadAsync(string package, string prefix, CancellationToken ct)
    {
        if (FindDeb(package) is { } cached)
        {
            progress($"{prefix}: {System.IO.Path.GetFileName(cached)} already downloaded");
            return cached;
        }
        progress($"{prefix}: downloading (apt-get download)…");
        var clock = Stopwatch.StartNew();
        var (exit, _, errors) = await RunAsync("apt-get", ["download", "-q", package], cacheFolder, ct);
        var deb = FindDeb(package);
        if (exit != 0 || deb is null)
            throw new CorpusException($"apt-get download failed ({LastLine(errors) ?? $"exit code {exit}"}); is the package in this machine's apt sources? Run apt-get update as root.");
        progress($"{prefix}: {new FileInfo(deb).Length / 1e6:0} MB in {clock.Elapsed.TotalSeconds:0} s");
        return deb;
    }

    private string? FindDeb(string package) =>
        Directory.EnumerateFiles(cacheFolder, $"{package}_*.deb").Order(StringComparer.Ordinal).LastOrDefault();

    // Only the music files and the copyright file are unpacked; a finished unpack is renamed into place.
    private async Task<string> UnpackAsync(string package, string deb, CancellationToken ct)
    {
        var target = System.IO.Path.Combine(cacheFolder, "unpacked", System.IO.Path.GetFileNameWithoutExtension(deb));
        if (Directory.Exists(target)) return target;
        var partial = target + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        // Two passes (list, then extract the chosen members): tar's own patterns fail when one matches nothing.
        var (listed, members, listErrors) = await RunAsync("bash", ["-c", "set -o pipefail; dpkg-deb --fsys-tarfile \"$1\" | tar -t", "list", deb], cacheFolder, ct);
        if (listed != 0) throw new CorpusException($"reading {System.IO.Path.GetFileName(deb)} failed: {LastLine(listErrors) ?? $"exit code {listed}"}");
        var wanted = members.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(m => !m.EndsWith('/') && (IsMusicFile(m) || m.TrimStart('.', '/') == $"usr/share/doc/{package}/copyright"))
            .ToList();
        var list = System.IO.Path.Combine(partial, ".members");
        await File.WriteAllLinesAsync(list, wanted, ct);
        var (exit, _, errors) = await RunAsync("bash", ["-c", "set -o pipefail; dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" --verbatim-files-from -T \"$3\"", "unpack", deb, partial, list], cacheFolder, ct);
        File.Delete(list);
        if (exit != 0)
        {
            Directory.Delete(partial, recursive: true);
            throw new CorpusException($"unpacking {System.IO.Path.GetFileName(deb)} failed: {LastLine(errors) ?? $"exit code {exit}"}");
        }
        Directory.Move(partial, target);
        return target;
    }

    private async Task<List<CorpusTrack>> CollectAsync(string package, string unpacked, string prefix, CancellationToken ct)
    {
        var copyrightFile = System.IO.Path.Combine(unpacked, "usr", "share", "doc", package, "copyright");
        var copyright = File.Exists(copyrightFile) ? Dep5Copyright.Parse(await File.ReadAllTextAsync(copyrightFile, ct)) : null;
        var candidates = Directory.EnumerateFiles(unpacked, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(unpacked, f).Replace('\\', '/'))
            .Where(IsMusicFile)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0) throw new CorpusException("the package has no audio files under a music folder");

        var labelFolder = System.IO.Path.Combine(folder, package);
        Directory.CreateDirectory(labelFolder);
        var names = CorpusNames.Assign(candidates);
        var tracks = new List<CorpusTrack>();
        int shortOnes = 0, unreadable = 0;
        foreach (var source in candidates)
        {
            ct.ThrowIfCancellationRequested();
            var file = System.IO.Path.Combine(unpacked, source);
            var probe = await ProbeAsync(file, ct);
            if (probe is null)
            {
                unreadable++;
                progress($"{prefix}: cannot read the length of {source}; left out");
                continue;
            }
            if (probe.Value.Seconds <= MinSeconds) { shortOnes++; continue; }
            var name = names[source];
            var copy = System.IO.Path.Combine(labelFolder, name);
            if (!File.Exists(copy) || new FileInfo(copy).Length != new FileInfo(file).Length)
            {
                var temp = copy + ".partial";
                File.Copy(file, temp, overwrite: true);
                File.Move(temp, copy, overwrite: true);
            }
            var license = copyright?.LicenseOf(source) ?? $"see /usr/share/doc/{package}/copyright";
            tracks.Add(new CorpusTrack(package, $"{package}/{name}", probe.Value.Seconds, probe.Value.Codec, license, source));
        }
        var minutes = tracks.Sum(t => t.Seconds) / 60;
        progress($"{prefix}: {tracks.Count} tracks ({minutes:0} min); {shortOnes} of {MinSeconds:0} s or less left out" +
                 (unreadable > 0 ? $", {unreadable} unreadable" : ""));
        return tracks;
    }

    /// <summary>An audio file with a folder named music (any case, also "musics") on its path.</summary>
    public static bool IsMusicFile(string relativePath)
    {
        var parts = relativePath.Split('/');
        return AudioFiles.IsAudio(relativePath) &&
               parts[..^1].Any(p => p.Equals("music", StringComparison.OrdinalIgnoreCase) || p.Equals("musics", StringComparison.OrdinalIgnoreCase));
    }

    // Duration and codec: ffprobe reads the headers; for files whose headers ffprobe refuses, soxi.
    private static async Task<(double Seconds, string Codec)?> ProbeAsync(string file, CancellationToken ct)
    {
        var (exit, output, _) = await RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "format=duration:stream=codec_name", "-of", "default=noprint_wrappers=1", file], null, ct);
        if (exit == 0)
        {
            var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (fields.TryGetValue("duration", out var d) && double.TryParse(d, CultureInfo.InvariantCulture, out var seconds) && fields.TryGetValue("codec_name", out var codec))
                return (seconds, codec);
        }
        var (soxExit, soxSeconds, _) = await RunAsync("soxi", ["-D", file], null, ct);
        var (_, encoding, _) = await RunAsync("soxi", ["-e", file], null, ct);
        if (soxExit == 0 && double.TryParse(soxSeconds.Trim(), CultureInfo.InvariantCulture, out var s))
            return (s, encoding.Trim().ToLowerInvariant());
        return null;
    }

    private async Task WriteManifestAsync(IReadOnlyList<CorpusTrack> tracks, CancellationToken ct)
    {
        var text = new StringBuilder("package\tpath\tseconds\tcodec\tlicense\tsource\n");
        foreach (var t in tracks.OrderBy(t => t.Path, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"{t.Package}\t{t.Path}\t{t.Seconds:0.00}\t{t.Codec}\t{t.License}\t{t.Source}\n");
        var manifest = System.IO.Path.Combine(folder, ManifestName);
        await File.WriteAllTextAsync(manifest + ".partial", text.ToString(), ct);
        File.Move(manifest + ".partial", manifest, overwrite: true);
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory, CancellationToken ct)
    {
        try
        {
            var run = await ChildProcess.CaptureAsync(program, arguments, ToolTimeout, ct, workingDirectory);
            return (run.ExitCode, run.Text, run.Errors);
        }
        catch (TimeoutException e)
        {
            throw new CorpusException(e.Message);
        }
        catch (ProgramMissingException e)
        {
            throw new CliError($"{program} is needed to build the corpus but could not be started ({e.InnerException?.Message ?? e.Message}); " +
                               "it comes with Debian (apt-get, dpkg-deb, ffprobe from ffmpeg, soxi from sox).");
        }
    }
}

/// <summary>A package that could not be added to the corpus; reported, then skipped.</summary>
public sealed class CorpusException(string message) : Exception(message);

/// <summary>File names inside a label folder: the file's own name, or folder_name when two files share a name.</summary>
public static class CorpusNames
{
    public static Dictionary<string, string> Assign(IReadOnlyList<string> sources)
    {
        var clash = sources.GroupBy(s => System.IO.Path.GetFileName(s), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in sources)
        {
            var name = System.IO.Path.GetFileName(s);
            if (clash.Contains(name))
            {
                var parts = s.Split('/');
                name = parts.Length >= 2 ? $"{parts[^2]}_{name}" : name;
            }
            var unique = name;
            for (int n = 2; !used.Add(unique); n++)
                unique = $"{System.IO.Path.GetFileNameWithoutExtension(name)}_{n}{System.IO.Path.GetExtension(name)}";
            names[s] = unique;
        }
        return names;
    }
}
