using System.Buffers.Binary;
using ConvEmbed.Audio.Errors;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// Managed reader for PCM and IEEE-float RIFF/WAVE (8/16/24/32-bit integer, 32/64-bit float,
/// WAVE_FORMAT_EXTENSIBLE), any channel count and rate. Chunks other than <c>fmt </c> and <c>data</c> (LIST, fact,
/// cue, …) are skipped, honouring the pad byte after odd-sized chunks. A data size of 0 or 0xFFFFFFFF (written by
/// streaming encoders that cannot seek back) means "until end of stream"; any other size that the stream does not
/// deliver is a truncated file. Reads forward only, so it works on network streams.
/// </summary>
public static class WavReader
{
    private const int BlockBytes = 1 << 16;
    private const int InitialFrames = 1 << 20;

    /// <summary>Reads the whole file as mono at its own rate; throws as soon as it is longer than <paramref name="maxDuration"/>.</summary>
    public static async Task<MonoAudio> ReadAsync(Stream stream, TimeSpan maxDuration, CancellationToken cancellationToken = default)
    {
        var header = new byte[12];
        if (await ReadFullyAsync(stream, header, cancellationToken) < 12 || !WavFormat.IsRiffWave(header))
            throw new UnsupportedFormatException("Not a RIFF/WAVE file.");
        WavFormat? format = null;
        var chunkHeader = new byte[8];
        while (true)
        {
            int got = await ReadFullyAsync(stream, chunkHeader, cancellationToken);
            if (got < 8) throw new CorruptAudioException(format is null ? "WAV file has no fmt chunk." : "WAV file has no data chunk.");
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader.AsSpan(4));
            var id = chunkHeader.AsSpan(0, 4);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > 1024) throw new CorruptAudioException($"WAV fmt chunk of {size} bytes.");
                var body = new byte[size + (size & 1)];
                if (await ReadFullyAsync(stream, body, cancellationToken) < size) throw new CorruptAudioException("WAV fmt chunk is truncated.");
                format = WavFormat.Parse(body.AsSpan(0, (int)size)) ?? throw new CorruptAudioException("WAV fmt chunk is too short.");
                Validate(format);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null) throw new CorruptAudioException("WAV data chunk comes before the fmt chunk.");
                bool untilEnd = size is 0 or uint.MaxValue;
                return await ReadDataAsync(stream, format, untilEnd ? null : size, maxDuration, cancellationToken);
            }
            else
            {
                await SkipAsync(stream, size + (size & 1), cancellationToken);
            }
        }
    }

    private static void Validate(WavFormat f)
    {
        if (!f.IsSupported)
            throw new UnsupportedFormatException($"WAV encoding (format tag 0x{f.FormatTag:X4}, {f.BitsPerSample}-bit) is not read in managed code.");
        if (f.Channels < 1) throw new CorruptAudioException("WAV file declares no channels.");
        if (f.SampleRate < 1000 || f.SampleRate > 768_000) throw new CorruptAudioException($"WAV sample rate {f.SampleRate} Hz is not plausible.");
        if (f.BlockAlign != f.Channels * f.BytesPerSample)
            throw new CorruptAudioException($"WAV block align {f.BlockAlign} does not match {f.Channels} × {f.BitsPerSample}-bit.");
    }

    private static async Task<MonoAudio> ReadDataAsync(Stream stream, WavFormat format, uint? size, TimeSpan maxDuration, CancellationToken ct)
    {
        long maxFrames = (long)Math.Ceiling(maxDuration.TotalSeconds * format.SampleRate);
        // A partial frame at the end of a declared size (some writers count the pad byte) is ignored.
        long declaredFrames = size.HasValue ? size.Value / format.BlockAlign : -1;
        if (declaredFrames > maxFrames) throw new AudioTooLongException(maxDuration);
        if (size.HasValue && stream.CanSeek && stream.Length - stream.Position < (long)declaredFrames * format.BlockAlign)
            throw new CorruptAudioException($"WAV header declares {size.Value} bytes of audio but the file holds {stream.Length - stream.Position}.");

        // The header is a claim, not a fact: start small and grow (doubling) with what really arrives, so a 44-byte
        // file that declares a gigabyte costs a 4 MB buffer, not gigabytes.
        long initialFrames = Math.Min(declaredFrames >= 0 ? declaredFrames : long.MaxValue, InitialFrames);
        var mono = new float[initialFrames];
        int frames = 0;
        int blockFrames = Math.Max(1, BlockBytes / format.BlockAlign);
        var buffer = new byte[blockFrames * format.BlockAlign];
        long remaining = size.HasValue ? declaredFrames * format.BlockAlign : long.MaxValue;
        while (remaining > 0)
        {
            int want = (int)Math.Min(buffer.Length, remaining);
            int got = await ReadFullyAsync(stream, buffer.AsMemory(0, want), ct);
            if (got < want && size.HasValue) throw new CorruptAudioException($"WAV data is truncated: {size.Value} bytes declared, {(declaredFrames * format.BlockAlign - remaining + got)} present.");
            int whole = got / format.BlockAlign;
            if (whole > 0)
            {
                if (frames + (long)whole > maxFrames) throw new AudioTooLongException(maxDuration);
                if (frames + whole > mono.Length)
                {
                    long cap = declaredFrames >= 0 ? Math.Min(declaredFrames, maxFrames) : maxFrames;
                    Array.Resize(ref mono, (int)Math.Min(cap, Math.Max(2L * mono.Length, frames + whole)));
                }
                PcmDownmix.ToMono(buffer.AsSpan(0, whole * format.BlockAlign), format, mono.AsSpan(frames, whole));
                frames += whole;
            }
            remaining -= got;
            if (got < want) break; // end of an open-ended data chunk; a partial last frame is dropped
        }
        if (frames != mono.Length) Array.Resize(ref mono, frames);
        return new MonoAudio(mono, format.SampleRate);
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken ct)
    {
        if (stream.CanSeek && stream.Position + count <= stream.Length)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        var scratch = new byte[(int)Math.Min(count, 8192)];
        while (count > 0)
        {
            int n = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), ct);
            if (n == 0) throw new CorruptAudioException("WAV file ends inside a chunk.");
            count -= n;
        }
    }

    private static Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken ct) => ReadFullyAsync(stream, buffer.AsMemory(), ct);

    private static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[total..], ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
