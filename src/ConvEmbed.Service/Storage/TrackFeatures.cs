using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;

namespace ConvEmbed.Service.Storage;

/// <summary>
/// A stored track's log-mel by its SHA-256: from the feature cache, or — when the cache lost it — decoded again from
/// its original (the uploaded blob, or the file in a library folder) and put back in the cache. Null only when
/// neither exists.
/// </summary>
public sealed class TrackFeatures(FeatureCache cache, FeatureExtractor extractor, BlobStore blobs)
{
    /// <summary>Opens the cached entry (the caller disposes it), decoding the original into the cache first if needed.</summary>
    public async Task<CachedLogMel?> OpenAsync(string sha256, string? libraryPath, CancellationToken ct)
    {
        if (cache.TryOpen(sha256, out var cached)) return cached;
        var original = libraryPath ?? blobs.PathFor(sha256);
        if (!File.Exists(original)) return null;
        return await extractor.GetOrAddAsync(sha256, () => File.OpenRead(original), ct);
    }
}
