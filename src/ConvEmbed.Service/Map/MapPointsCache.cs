using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace ConvEmbed.Service.Map;

/// <summary>
/// The last answer of <c>GET /map/points</c>, serialised (JSON, and the compact binary form on first use), each with
/// its ETag and its brotli and gzip forms made once on first use. It stays valid while its key does: the active model, the map's coverage (tracks, placed, state, the
/// layout's time) and <c>map_version</c>, a counter that triggers move whenever points or the shown track fields
/// change. At 100 000 tracks that spares each page load the query of every point, 12 MB of JSON and their compression.
/// </summary>
public sealed class MapPointsCache
{
    public sealed record Key(long ModelId, string ModelName, long Version, MapStore.Coverage Coverage);

    /// <summary>One representation of the answer: its bytes, ETag, and compressed forms (made once, on first use).</summary>
    public sealed class Body(byte[] bytes)
    {
        private readonly Lazy<byte[]> brotli = new(() => Compress(bytes, s => new BrotliStream(s, CompressionLevel.Fastest)));
        private readonly Lazy<byte[]> gzip = new(() => Compress(bytes, s => new GZipStream(s, CompressionLevel.Fastest)));

        public byte[] Bytes { get; } = bytes;
        public EntityTagHeaderValue ETag { get; } = new($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"", isWeak: true);
        public byte[] Brotli => brotli.Value;
        public byte[] Gzip => gzip.Value;

        private static byte[] Compress(byte[] data, Func<Stream, Stream> wrap)
        {
            using var output = new MemoryStream();
            using (var compressor = wrap(output)) compressor.Write(data);
            return output.ToArray();
        }
    }

    public sealed class Entry(Key key, MapResponse response, JsonSerializerOptions options)
    {
        private readonly Lazy<Body> json = new(() => new Body(JsonSerializer.SerializeToUtf8Bytes(response, options)));
        private readonly Lazy<Body> binary = new(() => new Body(MapPointsBinary.Encode(response, options)));

        public Key Key { get; } = key;
        public Body Json => json.Value;
        public Body Binary => binary.Value;
    }

    private Entry? last;

    /// <summary>The cached answer for <paramref name="key"/>, or a new one made by <paramref name="make"/> (and kept).</summary>
    public async Task<Entry> GetAsync(Key key, JsonSerializerOptions options, Func<Task<MapResponse>> make)
    {
        if (Volatile.Read(ref last) is { } hit && hit.Key == key) return hit;
        var entry = new Entry(key, await make(), options);
        Volatile.Write(ref last, entry);
        return entry;
    }
}
