using System.Collections.Concurrent;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Features;

namespace ConvEmbed.Model.Data;

/// <summary>
/// Every audio file under a folder, decoded once into the <see cref="FeatureCache"/> (keyed by content hash, so a
/// renamed or copied file is not decoded again) and opened memory-mapped. Files that cannot be read are listed in
/// <see cref="Skipped"/> with the reason and never stop the load. Dispose to unmap the features.
/// </summary>
public sealed class AudioLibrary : IDisposable
{
    private AudioLibrary(string root, IReadOnlyList<LibraryTrack> tracks, IReadOnlyList<SkippedFile> skipped)
        => (Root, Tracks, Skipped) = (root, tracks, skipped);

    public string Root { get; }
    public IReadOnlyList<LibraryTrack> Tracks { get; }
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Loads <paramref name="folder"/> (decoding in parallel); tracks come back in path order.</summary>
    public static Task<AudioLibrary> LoadAsync(string folder, FeatureExtractor extractor, IProgress<LibraryProgress>? progress = null,
        int? parallelism = null, CancellationToken cancellationToken = default) =>
        LoadFilesAsync(folder, AudioFiles.Find(folder), extractor, progress, parallelism, cancellationToken);

    /// <summary>Loads the given files; labels and relative paths are taken against <paramref name="root"/>.</summary>
    public static async Task<AudioLibrary> LoadFilesAsync(string root, IReadOnlyList<string> files, FeatureExtractor extractor,
        IProgress<LibraryProgress>? progress = null, int? parallelism = null, CancellationToken cancellationToken = default)
    {
        var tracks = new LibraryTrack?[files.Count];
        var skipped = new ConcurrentBag<(int Index, SkippedFile File)>();
        int done = 0, hits = 0;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), options, async (i, ct) =>
            {
                var path = files[i];
                try
                {
                    var bytes = await File.ReadAllBytesAsync(path, ct);
                    var key = ContentHash.Of(bytes);
                    if (extractor.IsCached(key)) Interlocked.Increment(ref hits);
                    // The decoder is given the file itself (not the bytes read for the hash): by path it can seek and fall back to SoX.
                    var features = await extractor.GetOrAddAsync(key, () => File.OpenRead(path), ct);
                    tracks[i] = new LibraryTrack(path, Path.GetRelativePath(root, path), AudioFiles.LabelOf(root, path), key, features);
                }
                catch (Exception e) when (e is AudioException or IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    skipped.Add((i, new SkippedFile(path, Messages.OneLine(e.Message))));
                }
                var n = Interlocked.Increment(ref done);
                progress?.Report(new LibraryProgress(n, files.Count, skipped.Count, Volatile.Read(ref hits), Path.GetRelativePath(root, path)));
            });
        }
        catch
        {
            foreach (var t in tracks) t?.Features.Dispose();
            throw;
        }
        return new AudioLibrary(root, tracks.OfType<LibraryTrack>().ToList(), skipped.OrderBy(s => s.Index).Select(s => s.File).ToList());
    }

    public void Dispose()
    {
        foreach (var t in Tracks) t.Features.Dispose();
    }
}
