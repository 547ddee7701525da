using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ConvEmbed.Service.Map;

/// <summary>
/// The compact form of <c>GET /map/points</c> (<c>?format=binary</c>, <c>application/octet-stream</c>), for pages that
/// draw 100 000 points: no JSON to parse per point, coordinates straight into typed arrays. Little-endian:
/// <code>
/// "CEMP"  uint32 format version (1)  uint32 H  H bytes of UTF-8 JSON: the answer without "points", plus "count": N
/// zero bytes up to a multiple of 4
/// float32[N] x   float32[N] y
/// uint32 T  T bytes of UTF-8 text: per point, NUL-terminated: id, title, artist ("" when unknown), the number of tags,
///           then each tag (PostgreSQL text never holds NUL, so NUL cannot occur inside a field)
/// </code>
/// </summary>
public static class MapPointsBinary
{
    public const string ContentType = "application/octet-stream";
    public const int Version = 1;

    public static byte[] Encode(MapResponse response, JsonSerializerOptions options)
    {
        var n = response.Points.Count;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(response.ModelId, response.ModelName, response.State, response.ComputedAt,
            response.Seconds, response.Tracks, response.Placed, n), options);
        var text = new StringBuilder(n * 64);
        foreach (var p in response.Points)
        {
            text.Append(p.Id.ToString("D")).Append('\0').Append(p.Title).Append('\0').Append(p.Artist ?? "").Append('\0')
                .Append(p.Tags.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\0');
            foreach (var tag in p.Tags) text.Append(tag).Append('\0');
        }
        var textBytes = Encoding.UTF8.GetBytes(text.ToString());
        var headerEnd = 12 + header.Length;
        var coordinates = (headerEnd + 3) / 4 * 4;
        var buffer = new byte[coordinates + 8 * n + 4 + textBytes.Length];
        "CEMP"u8.CopyTo(buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), (uint)header.Length);
        header.CopyTo(buffer, 12);
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(coordinates + 4 * i), response.Points[i].X);
            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(coordinates + 4 * (n + i)), response.Points[i].Y);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(coordinates + 8 * n), (uint)textBytes.Length);
        textBytes.CopyTo(buffer, coordinates + 8 * n + 4);
        return buffer;
    }

    private sealed record Header(long ModelId, string ModelName, string State, DateTimeOffset? ComputedAt, double? Seconds, long Tracks, long Placed, int Count);
}
