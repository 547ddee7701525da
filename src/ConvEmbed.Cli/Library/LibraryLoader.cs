using System.Diagnostics;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli.Library;

/// <summary>Loads a folder of audio for a command: progress on stderr, unreadable files listed, empty is an error.</summary>
public static class LibraryLoader
{
    /// <summary>Research libraries hold long pieces (game soundtracks of 25–30 min, DJ mixes): the command line accepts
    /// tracks up to an hour, where the service keeps its own limit (ConvEmbed:Audio:MaxDuration, 20 min).</summary>
    public static readonly AudioOptions Decoding = new() { MaxDuration = TimeSpan.FromHours(1) };

    public static async Task<AudioLibrary> LoadAsync(string folder, string? cacheOption, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder)) throw new CliError($"folder not found: {folder}");
        var files = AudioFiles.Find(folder);
        if (files.Count == 0) throw new CliError($"no audio files under {folder} (looked for {string.Join(" ", AudioFiles.Extensions.Order())})");
        return await LoadFilesAsync(folder, files, cacheOption, cancellationToken);
    }

    /// <summary>Loads <paramref name="files"/> (full paths) through the feature cache (<paramref name="cacheOption"/>, see
    /// <see cref="FeatureCacheFolder"/>). <paramref name="givenNames"/>: how the user named each file (full path → as
    /// given) when files were named one by one; messages then use those names instead of paths relative to <paramref name="root"/>.</summary>
    public static async Task<AudioLibrary> LoadFilesAsync(string root, IReadOnlyList<string> files, string? cacheOption, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? givenNames = null)
    {
        var cacheDir = FeatureCacheFolder.Resolve(cacheOption);
        var extractor = new FeatureExtractor(new AudioDecoder(Decoding), new FeatureCache(cacheDir));
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var progress = new Synchronous<LibraryProgress>(p =>
        {
            if (p.Done != p.Total && clock.Elapsed - lastPrint < TimeSpan.FromSeconds(2)) return;
            lastPrint = clock.Elapsed;
            Stderr.Line($"reading audio: {p.Done}/{p.Total} files ({p.CacheHits} from cache, {p.Skipped} unreadable) {clock.Elapsed.TotalSeconds:0}s");
        });
        var library = await AudioLibrary.LoadFilesAsync(root, files, extractor, progress, cancellationToken: cancellationToken);
        string Name(string path) => givenNames?.GetValueOrDefault(path) ?? Path.GetRelativePath(root, path);
        foreach (var s in library.Skipped) Stderr.Line($"skipped {Name(s.Path)}: {s.Reason}");
        if (library.Tracks.Count == 0)
        {
            library.Dispose();
            throw new CliError(givenNames is null
                ? $"none of the {files.Count} audio files under {root} could be read (reasons above)"
                : files.Count == 1
                    ? $"{Name(files[0])} could not be read: {library.Skipped.FirstOrDefault()?.Reason ?? "unknown reason"}"
                    : $"none of the {files.Count} audio files given could be read (reasons above)");
        }
        var hours = library.Tracks.Sum(t => (double)t.Frames) / 100 / 3600;
        Stderr.Line($"{library.Tracks.Count} tracks ({hours:0.0} h) ready, {library.Skipped.Count} skipped; feature cache {cacheDir}");
        return library;
    }
}
