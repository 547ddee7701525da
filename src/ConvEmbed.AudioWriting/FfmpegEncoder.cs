using System.Globalization;
using System.Runtime.InteropServices;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Processes;

namespace ConvEmbed.AudioWriting;

/// <summary>
/// Encodes float samples to a compressed format with ffmpeg, in memory: raw f32le in on stdin, the encoded file
/// out on stdout. Used to make test and benchmark inputs in every format ffmpeg writes.
/// </summary>
public sealed class FfmpegEncoder(AudioOptions options)
{
    private readonly AudioOptions _options = options.Validate();

    public async Task<byte[]> EncodeAsync(float[] interleaved, int channels, int sampleRate, AudioFileFormat format, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunAsync(interleaved, channels, sampleRate, format, cancellationToken);
        }
        catch (ProgramMissingException e)
        {
            throw new FfmpegMissingException($"ffmpeg is needed to encode {format} but {e.Message}", e);
        }
    }

    private Task<byte[]> RunAsync(float[] interleaved, int channels, int sampleRate, AudioFileFormat format, CancellationToken cancellationToken)
    {
        string[] args =
        [
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-f", "f32le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-i", "pipe:0", .. format.FfmpegOutput(), "pipe:1",
        ];
        return ChildProcess.RunAsync(_options.FfmpegPath, args, _options.FfmpegTimeout,
            async (stdin, ct) =>
            {
                try
                {
                    await stdin.WriteAsync(MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray(), ct);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { } // ffmpeg failed; its exit code says why
                return null;
            },
            async (ffmpeg, _, ct) =>
            {
                using var output = new MemoryStream();
                await ffmpeg.StandardOutput.CopyToAsync(output, ct);
                int exit = await ffmpeg.WaitForExitAsync(ct);
                if (exit != 0) throw new CorruptAudioException($"ffmpeg could not encode {format}: exit {exit}: {ffmpeg.Errors}");
                return output.ToArray();
            },
            _ => new DecodeTimeoutException($"ffmpeg did not finish encoding within {_options.FfmpegTimeout.TotalSeconds:0.#} s."),
            cancellationToken);
    }
}
