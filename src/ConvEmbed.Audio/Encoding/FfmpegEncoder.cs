using System.Globalization;
using System.Runtime.InteropServices;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Ffmpeg;

namespace ConvEmbed.Audio.Encoding;

/// <summary>
/// Encodes float samples to a compressed format with ffmpeg, in memory: raw f32le in on stdin, the encoded file
/// out on stdout. Used to make test and benchmark inputs in every format ffmpeg writes.
/// </summary>
public sealed class FfmpegEncoder(AudioOptions options)
{
    private readonly AudioOptions _options = options.Validate();

    public async Task<byte[]> EncodeAsync(float[] interleaved, int channels, int sampleRate, AudioFileFormat format, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FfmpegTimeout);
        string[] args =
        [
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-f", "f32le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-i", "pipe:0", .. format.FfmpegOutput(), "pipe:1",
        ];
        using var ffmpeg = FfmpegProcess.Start(_options.FfmpegPath, args);
        using var killOnCancel = timeout.Token.Register(ffmpeg.Kill);
        var feed = Task.Run(async () =>
        {
            try
            {
                await ffmpeg.StandardInput.WriteAsync(MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray(), timeout.Token);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { }
            finally
            {
                try { ffmpeg.StandardInput.Dispose(); } catch (IOException) { }
            }
        });
        try
        {
            using var output = new MemoryStream();
            await ffmpeg.StandardOutput.CopyToAsync(output, timeout.Token);
            int exit = await ffmpeg.WaitForExitAsync(timeout.Token);
            if (exit != 0) throw new CorruptAudioException($"ffmpeg could not encode {format}: exit {exit}: {ffmpeg.Errors}");
            return output.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DecodeTimeoutException($"ffmpeg did not finish encoding within {_options.FfmpegTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            ffmpeg.Kill();
            await feed;
        }
    }
}
