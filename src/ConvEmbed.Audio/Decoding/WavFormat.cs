using System.Buffers.Binary;

namespace ConvEmbed.Audio.Decoding;

/// <summary>The parsed <c>fmt </c> chunk of a RIFF/WAVE file, WAVE_FORMAT_EXTENSIBLE resolved to its sub-format.</summary>
public sealed record WavFormat(WavEncoding Encoding, int FormatTag, int Channels, int SampleRate, int BlockAlign, int BitsPerSample)
{
    private const int Pcm = 1, Float = 3, Extensible = 0xFFFE;

    public int BytesPerSample => BitsPerSample / 8;

    /// <summary>True when the managed reader can decode this format.</summary>
    public bool IsSupported => Encoding switch
    {
        WavEncoding.PcmInteger => BitsPerSample is 8 or 16 or 24 or 32,
        WavEncoding.IeeeFloat => BitsPerSample is 32 or 64,
        _ => false,
    };

    /// <summary>Parses the body of a <c>fmt </c> chunk; null when it is too short to be one.</summary>
    public static WavFormat? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 16) return null;
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        int rate = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(body[4..]));
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        int effective = tag;
        // WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the sub-format GUID (offset 24).
        if (tag == Extensible && body.Length >= 40) effective = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
        var encoding = effective switch { Pcm => WavEncoding.PcmInteger, Float => WavEncoding.IeeeFloat, _ => WavEncoding.Unsupported };
        return new WavFormat(encoding, tag, channels, rate, blockAlign, bits);
    }

    /// <summary>
    /// Looks for the fmt chunk within the first bytes of a file; null if they are not RIFF/WAVE or the chunk is not
    /// in them. Used to route a WAV to the managed reader or to ffmpeg before the stream is consumed.
    /// </summary>
    public static WavFormat? Sniff(ReadOnlySpan<byte> prefix)
    {
        if (!IsRiffWave(prefix)) return null;
        int pos = 12;
        while (pos + 8 <= prefix.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(prefix[(pos + 4)..]);
            if (prefix.Slice(pos, 4).SequenceEqual("fmt "u8))
            {
                if (pos + 8L + size > prefix.Length) return null; // not all here yet
                return Parse(prefix.Slice(pos + 8, (int)size));
            }
            long next = pos + 8L + size + (size & 1);
            if (next > prefix.Length) return null;
            pos = (int)next;
        }
        return null;
    }

    public static bool IsRiffWave(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 12 && prefix[..4].SequenceEqual("RIFF"u8) && prefix.Slice(8, 4).SequenceEqual("WAVE"u8);
}
