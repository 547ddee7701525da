using System.Buffers.Binary;

namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Builds WAV files byte by byte in every layout the reader must accept (independent of WavWriter).</summary>
public sealed record TestWav(int Bits = 16, bool Float = false, bool Extensible = false, int Channels = 1,
    bool ExtraChunks = false, bool UnknownDataSize = false)
{
    /// <summary>Channel c of frame i is <paramref name="channel"/>(c, i); values in [-1, 1].</summary>
    public byte[] Build(int rate, int frames, Func<int, int, double> channel)
    {
        int bytesPer = Bits / 8;
        var data = new byte[frames * Channels * bytesPer];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < Channels; c++)
                Encode(data.AsSpan((i * Channels + c) * bytesPer, bytesPer), Math.Clamp(channel(c, i), -1, 1));

        var ms = new MemoryStream();
        void Chunk(string id, byte[] body, uint? sizeOverride = null)
        {
            ms.Write(System.Text.Encoding.ASCII.GetBytes(id));
            Span<byte> size = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, sizeOverride ?? (uint)body.Length);
            ms.Write(size);
            ms.Write(body);
            if (body.Length % 2 == 1) ms.WriteByte(0); // RIFF pad byte
        }
        ms.Write("RIFF\0\0\0\0WAVE"u8);
        if (ExtraChunks) Chunk("JUNK", new byte[27]);                  // odd size → pad byte
        Chunk("fmt ", Fmt(rate));
        if (ExtraChunks)
        {
            Chunk("fact", BitConverter.GetBytes(frames));
            Chunk("LIST", [.. "INFOISFT"u8, 5, 0, 0, 0, .. "test\0"u8]); // odd-sized sub-chunk inside
        }
        Chunk("data", data, UnknownDataSize ? uint.MaxValue : null);
        if (ExtraChunks) Chunk("LIST", [.. "INFOICMT"u8, 3, 0, 0, 0, .. "ab\0"u8]);
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), UnknownDataSize ? uint.MaxValue : (uint)(bytes.Length - 8));
        return bytes;
    }

    private byte[] Fmt(int rate)
    {
        int blockAlign = Channels * Bits / 8;
        var f = new byte[Extensible ? 40 : 16];
        int tag = Float ? 3 : 1;
        BinaryPrimitives.WriteUInt16LittleEndian(f, (ushort)(Extensible ? 0xFFFE : tag));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(8), (uint)(rate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)Bits);
        if (Extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), (ushort)Bits);
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), Channels == 2 ? 3u : 4u);
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
            byte[] guid = [(byte)tag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
            guid.CopyTo(f, 24);
        }
        return f;
    }

    private void Encode(Span<byte> dst, double v)
    {
        switch (Float, Bits)
        {
            case (true, 32): BinaryPrimitives.WriteSingleLittleEndian(dst, (float)v); break;
            case (true, 64): BinaryPrimitives.WriteDoubleLittleEndian(dst, v); break;
            case (false, 8): dst[0] = (byte)Math.Clamp(Math.Round(v * 127) + 128, 0, 255); break;
            case (false, 16): BinaryPrimitives.WriteInt16LittleEndian(dst, (short)Math.Round(v * 32767)); break;
            case (false, 24):
                int s = (int)Math.Round(v * 8388607);
                dst[0] = (byte)s; dst[1] = (byte)(s >> 8); dst[2] = (byte)(s >> 16);
                break;
            case (false, 32): BinaryPrimitives.WriteInt32LittleEndian(dst, (int)Math.Round(v * 2147483647.0)); break;
            default: throw new NotSupportedException();
        }
    }
}
