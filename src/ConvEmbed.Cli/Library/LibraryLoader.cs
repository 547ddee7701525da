using System.Diagnostics;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Data;

namespace ConvEmbed.Cli.Library;

/// <summary>Loads a folder of audio for a command: progress on stderr, unreadable files listed, empty is an error.</summary>
public static class LibraryLoader
{
    public static async Task<AudioLibrary> LoadAsync(string folder, string? cacheOption, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder)) throw new CliError($"folder not found: {folder}");
        var files = AudioFiles.Find(folder);
        if (files.Count == 0) throw new CliError($"no audio files under {folder} (looked for {string.Join(" ", AudioFiles.Extensions.Order())})");
        return await LoadFilesAsync(folder, files, cacheOption, cancellationToken);
    }

    public static async Task<AudioLibrary> LoadFilesAsync(string root, IReadOnlyList<string> files, string? cacheOption, CancellationToken cancellationToken)
    {
        var cacheDir = FeatureCacheFolder.Resolve(cacheOption);
        var extractor = new FeatureExtractor(new AudioDecoder(), new FeatureCache(cacheDir));
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var progress = new Synchronous<LibraryProgress>(p =>
        {
            if (p.Done != p.Total && clock.Elapsed - lastPrint < TimeSpan.FromSeconds(2)) return;
            lastPrint = clock.Elapsed;
            Stderr.Line($"reading audio: {p.Done}/{p.Total} files ({p.CacheHits} from cache, {p.Skipped} unreadable) {clock.Elapsed.TotalSeconds:0}s");
        });
        var library = await AudioLibrary.LoadFilesAsync(root, files, extractor, progress, cancellationToken: cancellationToken);
        foreach (var s in library.Skipped) Stderr.Line($"skipped {Path.GetRelativePath(root, s.Path)}: {s.Reason}");
        if (library.Tracks.Count == 0)
        {
            library.Dispose();
            throw new CliError($"none of the {files.Count} audio files under {root} could be read (reasons above)");
        }
        var hours = library.Tracks.Sum(t => (double)t.Frames) / 100 / 3600;
        Stderr.Line($"{library.Tracks.Count} tracks ({hours:0.0} h) ready, {library.Skipped.Count} skipped; feature cache {cacheDir}");
        return library;
    }
}
