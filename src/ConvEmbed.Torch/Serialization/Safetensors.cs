using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ConvEmbed.Torch.Serialization;

/// <summary>
/// The safetensors format (huggingface/safetensors): u64 little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets: [begin, end]}} padded with spaces to 8 bytes, then the raw
/// little-endian tensor bytes, contiguous in header order. Python's safetensors.torch.load_file opens it.
/// </summary>
public static class Safetensors
{
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in items)
        {
            var bytes = t.bytes();
            header[name] = new { dtype = DTypeName(t.DType), shape = t.Shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        var tmp = path + ".tmp";
        using (var f = File.Create(tmp))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            f.Write(len);
            f.Write(json);
            for (var i = json.Length; i < padded; i++) f.WriteByte((byte)' ');
            foreach (var b in blobs) f.Write(b);
            f.Flush(flushToDisk: true); // the rename below must never publish a file whose data is not on disk
        }
        File.Move(tmp, path, overwrite: true); // atomic: a crash never leaves a half-written checkpoint
    }

    /// <summary>Reads every tensor; the caller owns (or its dispose scope frees) the returned tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static Dictionary<string, Tensor> Load(string path, out Dictionary<string, string> metadata)
    {
        var file = File.ReadAllBytes(path);
        var headerLen = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        var dataStart = 8 + headerLen;
        using var doc = JsonDocument.Parse(file.AsMemory(8, headerLen));
        metadata = [];
        var result = new Dictionary<string, Tensor>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            var dtype = ParseDType(prop.Value.GetProperty("dtype").GetString()!);
            var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offs = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var span = file.AsSpan(checked((int)(dataStart + offs[0])), checked((int)(offs[1] - offs[0])));
            result[prop.Name] = FromBytes(span, shape, dtype);
        }
        return result;
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => Torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes), shape),
        ScalarType.Float16 => Torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes), shape),
        ScalarType.Int64 => Torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes), shape),
        ScalarType.Float64 => Torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes), shape),
        ScalarType.Bool => Torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, bool>(bytes), shape),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    private static string DTypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.Int64 => "I64",
        ScalarType.Float64 => "F64",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException(t.ToString()),
    };

    private static ScalarType ParseDType(string s) => s switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "I64" => ScalarType.Int64,
        "F64" => ScalarType.Float64,
        "BOOL" => ScalarType.Bool,
        _ => throw new NotSupportedException($"safetensors dtype {s} is not supported by ConvEmbed.Torch"),
    };
}
