using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Decoding;

namespace ConvEmbed.Audio.Features;

/// <summary>
/// The whole front-end in one call, as the service and the trainer use it: bytes → decode (any format) → log-mel,
/// optionally through the <see cref="FeatureCache"/> keyed by the content hash. Thread-safe.
/// </summary>
public sealed class FeatureExtractor(AudioDecoder decoder, FeatureCache? cache = null)
{
    /// <summary>Decodes and featurises <paramref name="input"/>; throws the decoder's typed errors.</summary>
    public async Task<LogMel> ExtractAsync(Stream input, CancellationToken cancellationToken = default)
    {
        var samples = await decoder.DecodeAsync(input, cancellationToken);
        return new MelSpectrogram().Compute(samples);
    }

    /// <summary>Whether the log-mel of <paramref name="key"/> is already in the cache.</summary>
    public bool IsCached(string key) => cache?.Contains(key) ?? false;

    /// <summary>
    /// Returns the cached log-mel of <paramref name="key"/> (the SHA-256 of the track's bytes) or computes it from
    /// <paramref name="openInput"/> and stores it. Two callers racing on one key both compute; the rename keeps the file whole.
    /// </summary>
    public async Task<CachedLogMel> GetOrAddAsync(string key, Func<Stream> openInput, CancellationToken cancellationToken = default)
    {
        if (cache is null) throw new InvalidOperationException("No feature cache configured.");
        if (cache.TryOpen(key, out var hit)) return hit!;
        LogMel mel;
        await using (var input = openInput()) mel = await ExtractAsync(input, cancellationToken);
        await cache.WriteAsync(key, mel, cancellationToken);
        return cache.Open(key);
    }
}
