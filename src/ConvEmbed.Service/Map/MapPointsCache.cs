using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace ConvEmbed.Service.Map;

/// <summary>
/// The last answer of <c>GET /map/points</c>, serialised, with its ETag and its brotli and gzip forms made once on
/// first use. It stays valid while its key does: the active model, the map's coverage (tracks, placed, state, the
/// layout's time) and <c>map_version</c>, a counter that triggers move whenever points or the shown track fields
/// change. At 100 000 tracks that spares each page load the query of every point, 12 MB of JSON and their compression.
/// </summary>
public sealed class MapPointsCache
{
    public sealed record Key(long ModelId, string ModelName, long Version, MapStore.Coverage Coverage);

    public sealed class Entry(Key key, byte[] json)
    {
        private readonly Lazy<byte[]> brotli = new(() => Compress(json, s => new BrotliStream(s, CompressionLevel.Fastest)));
        private readonly Lazy<byte[]> gzip = new(() => Compress(json, s => new GZipStream(s, CompressionLevel.Fastest)));

        public Key Key { get; } = key;
        public byte[] Json { get; } = json;
        public EntityTagHeaderValue ETag { get; } = new($"\"{Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 16))}\"", isWeak: true);
        public byte[] Brotli => brotli.Value;
        public byte[] Gzip => gzip.Value;

        private static byte[] Compress(byte[] data, Func<Stream, Stream> wrap)
        {
            using var output = new MemoryStream();
            using (var compressor = wrap(output)) compressor.Write(data);
            return output.ToArray();
        }
    }

    private Entry? last;

    /// <summary>The cached answer for <paramref name="key"/>, or a new one made by <paramref name="make"/> (and kept).</summary>
    public async Task<Entry> GetAsync(Key key, Func<Task<byte[]>> make)
    {
        if (Volatile.Read(ref last) is { } hit && hit.Key == key) return hit;
        var entry = new Entry(key, await make());
        Volatile.Write(ref last, entry);
        return entry;
    }
}
