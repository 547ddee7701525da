using System.Security.Cryptography;

namespace ConvEmbed.Audio.Cache;

/// <summary>The cache key of a track: lowercase hex SHA-256 of its original bytes (the same key the blob store uses).</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> OfAsync(Stream stream, CancellationToken cancellationToken = default) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

    /// <summary>True for a 64-character lowercase hex string, the only keys accepted as file names.</summary>
    public static bool IsValid(string key) =>
        key.Length == 64 && key.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
