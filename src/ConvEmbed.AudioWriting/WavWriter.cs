using System.Buffers.Binary;

namespace ConvEmbed.AudioWriting;

/// <summary>Writes interleaved float samples as a canonical RIFF/WAVE file: 16-bit PCM or 32-bit IEEE float.</summary>
public static class WavWriter
{
    public static byte[] ToBytes(ReadOnlySpan<float> interleaved, int channels, int sampleRate, bool float32 = false)
    {
        int bytesPerSample = float32 ? 4 : 2;
        int dataBytes = interleaved.Length * bytesPerSample;
        var bytes = new byte[44 + dataBytes];
        var s = bytes.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], (ushort)(float32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(sampleRate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)(8 * bytesPerSample));
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)dataBytes);
        var data = s[44..];
        for (int i = 0; i < interleaved.Length; i++)
        {
            if (float32) BinaryPrimitives.WriteSingleLittleEndian(data[(4 * i)..], interleaved[i]);
            else BinaryPrimitives.WriteInt16LittleEndian(data[(2 * i)..], (short)Math.Clamp(MathF.Round(interleaved[i] * 32767f), -32768f, 32767f));
        }
        return bytes;
    }

    /// <summary>Duplicates a mono signal into <paramref name="channels"/> interleaved channels.</summary>
    public static float[] Interleave(ReadOnlySpan<float> mono, int channels)
    {
        var result = new float[mono.Length * channels];
        for (int i = 0; i < mono.Length; i++)
            for (int c = 0; c < channels; c++) result[i * channels + c] = mono[i];
        return result;
    }
}
