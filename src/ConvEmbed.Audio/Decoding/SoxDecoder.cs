using System.Buffers.Binary;
using System.Globalization;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Processes;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// The second decoder: SoX (with libsox-fmt-all) reads some real files that ffmpeg refuses — Ogg Vorbis whose headers
/// ffmpeg 5.1 rejects while libvorbis accepts them. It opens the file itself and writes raw little-endian float32,
/// mono (the channel mean: SoX's "-c 1" mixes with gain 1/n, like <see cref="PcmDownmix"/>), at 16 kHz. Bounded by
/// <see cref="AudioOptions.FfmpegTimeout"/> and <see cref="AudioOptions.MaxDuration"/> like the ffmpeg path.
/// </summary>
public sealed class SoxDecoder(AudioOptions options)
{
    private readonly AudioOptions _options = options.Validate();

    /// <summary>Decodes <paramref name="path"/>; <paramref name="type"/> (SoX's <c>-t</c>, see <see cref="TypeOf"/>) is
    /// needed when the file's name has no telling extension, as for an upload's temporary file.</summary>
    public async Task<float[]> DecodeFileAsync(string path, string? type = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(_options.SoxPath)) throw new FfmpegMissingException("sox is turned off (SoxPath is empty).");
        string[] input = type is null ? [Path.GetFullPath(path)] : ["-t", type, Path.GetFullPath(path)];
        string[] args =
        [
            "-V1", "-q", .. input,
            "-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-c", "1",
            "-r", FrontEnd.SampleRate.ToString(CultureInfo.InvariantCulture), "-",
        ];
        try
        {
            return await ChildProcess.RunAsync(_options.SoxPath, args, _options.FfmpegTimeout, null,
                async (sox, _, ct) =>
                {
                    var samples = await ReadSamplesAsync(sox.StandardOutput, ct);
                    int exit = await sox.WaitForExitAsync(ct);
                    ct.ThrowIfCancellationRequested();
                    if (exit != 0)
                        throw new CorruptAudioException(sox.Errors.Length > 0 ? $"sox exited with code {exit}: {sox.Errors}" : $"sox exited with code {exit}.");
                    if (samples.Length == 0) throw new CorruptAudioException($"sox produced no audio from {Path.GetFileName(path)}.");
                    return samples;
                },
                _ => new DecodeTimeoutException($"sox did not finish within {_options.FfmpegTimeout.TotalSeconds:0.#} s."),
                cancellationToken);
        }
        catch (ProgramMissingException e)
        {
            throw new FfmpegMissingException($"sox could not be started ('{_options.SoxPath}'; Debian: apt-get install sox libsox-fmt-all).", e);
        }
    }

    /// <summary>SoX's type name for a file that starts with <paramref name="prefix"/>, when SoX reads that format; else null.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith("OggS"u8)) return "ogg";
        if (prefix.StartsWith("fLaC"u8)) return "flac";
        if (prefix.StartsWith("ID3"u8) || (prefix.Length >= 2 && prefix[0] == 0xFF && (prefix[1] & 0xE0) == 0xE0)) return "mp3";
        return null;
    }

    private async Task<float[]> ReadSamplesAsync(Stream output, CancellationToken ct)
    {
        long maxSamples = (long)(_options.MaxDuration.TotalSeconds * FrontEnd.SampleRate) + 1;
        var samples = new List<float>(FrontEnd.SampleRate * 60);
        var buffer = new byte[1 << 16];
        int carry = 0;
        while (true)
        {
            int n = await output.ReadAsync(buffer.AsMemory(carry), ct);
            if (n == 0) break;
            int have = carry + n, whole = have / 4 * 4;
            for (int i = 0; i < whole; i += 4) samples.Add(BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i, 4)));
            if (samples.Count > maxSamples) throw new AudioTooLongException(_options.MaxDuration);
            carry = have - whole;
            buffer.AsSpan(whole, carry).CopyTo(buffer);
        }
        return samples.ToArray();
    }
}
