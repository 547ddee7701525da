using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ConvEmbed.Audio.Decoding;

/// <summary>Converts interleaved little-endian PCM frames of any supported WAV encoding to mono floats (channel mean).</summary>
internal static class PcmDownmix
{
    /// <summary>Writes one mono sample per whole frame of <paramref name="frames"/> into <paramref name="mono"/>.</summary>
    public static void ToMono(ReadOnlySpan<byte> frames, WavFormat format, Span<float> mono)
    {
        int channels = format.Channels;
        int count = frames.Length / format.BlockAlign;
        float scale = 1f / channels;
        switch (format.Encoding, format.BitsPerSample)
        {
            case (WavEncoding.PcmInteger, 16):
            {
                var s = MemoryMarshal.Cast<byte, short>(frames[..(count * format.BlockAlign)]);
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
                if (channels == 2)
                {
                    const float k = 1f / 65536f; // (l + r) / 2 / 32768
                    for (int i = 0; i < count; i++) mono[i] = (s[2 * i] + s[2 * i + 1]) * k;
                }
                else
                {
                    float k = scale / 32768f;
                    for (int i = 0; i < count; i++)
                    {
                        int sum = 0;
                        for (int c = 0; c < channels; c++) sum += s[i * channels + c];
                        mono[i] = sum * k;
                    }
                }
                return;
            }
            case (WavEncoding.PcmInteger, 8):
                for (int i = 0; i < count; i++)
                {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) sum += frames[i * channels + c] - 128; // 8-bit WAV is unsigned
                    mono[i] = sum * scale / 128f;
                }
                return;
            case (WavEncoding.PcmInteger, 24):
                for (int i = 0; i < count; i++)
                {
                    int sum = 0;
                    for (int c = 0; c < channels; c++)
                    {
                        int o = (i * channels + c) * 3;
                        sum += frames[o] | (frames[o + 1] << 8) | ((sbyte)frames[o + 2] << 16);
                    }
                    mono[i] = sum * scale / 8388608f;
                }
                return;
            case (WavEncoding.PcmInteger, 32):
                for (int i = 0; i < count; i++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += BinaryPrimitives.ReadInt32LittleEndian(frames[((i * channels + c) * 4)..]);
                    mono[i] = (float)(sum * scale / 2147483648.0);
                }
                return;
            case (WavEncoding.IeeeFloat, 32):
                for (int i = 0; i < count; i++)
                {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) sum += BinaryPrimitives.ReadSingleLittleEndian(frames[((i * channels + c) * 4)..]);
                    mono[i] = sum * scale;
                }
                return;
            case (WavEncoding.IeeeFloat, 64):
                for (int i = 0; i < count; i++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += BinaryPrimitives.ReadDoubleLittleEndian(frames[((i * channels + c) * 8)..]);
                    mono[i] = (float)(sum * scale);
                }
                return;
            default:
                throw new NotSupportedException($"No converter for {format.Encoding} {format.BitsPerSample}-bit.");
        }
    }
}
