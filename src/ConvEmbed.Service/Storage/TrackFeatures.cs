using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;

namespace ConvEmbed.Service.Storage;

/// <summary>
/// A stored track's log-mel by its SHA-256: from the feature cache, or — when the cache lost it — decoded again from
/// the stored original and put back in the cache. Null only when neither exists.
/// </summary>
public sealed class TrackFeatures(FeatureCache cache, FeatureExtractor extractor, BlobStore blobs)
{
    /// <summary>Opens the cached entry (the caller disposes it), decoding the original into the cache first if needed.</summary>
    public async Task<CachedLogMel?> OpenAsync(string sha256, CancellationToken ct)
    {
        if (cache.TryOpen(sha256, out var cached)) return cached;
        if (!blobs.Exists(sha256)) return null;
        return await extractor.GetOrAddAsync(sha256, () => File.OpenRead(blobs.PathFor(sha256)), ct);
    }
}
