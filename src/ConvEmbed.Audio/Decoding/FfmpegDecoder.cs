using System.Runtime.InteropServices;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Ffmpeg;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// Decodes anything ffmpeg reads (mp3, flac, ogg/vorbis, opus, m4a/aac, …) to mono float32 at 16 kHz.
/// The bytes are streamed to ffmpeg's stdin and raw f32le read from its stdout: no temporary files. The run is
/// bounded by <see cref="AudioOptions.FfmpegTimeout"/> and by <see cref="AudioOptions.MaxDuration"/> (checked while
/// reading, so an over-long file is rejected without being held in memory); on any error the process is killed.
/// </summary>
public sealed class FfmpegDecoder(AudioOptions options)
{
    private readonly AudioOptions _options = options.Validate();

    public async Task<float[]> DecodeAsync(Stream input, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FfmpegTimeout);
        using var ffmpeg = FfmpegProcess.Start(_options.FfmpegPath, Arguments());
        // Reads on a pipe do not reliably observe cancellation; killing ffmpeg closes the pipe and ends them.
        using var killOnCancel = timeout.Token.Register(ffmpeg.Kill);
        var feed = FeedAsync(input, ffmpeg.StandardInput, timeout.Token);
        try
        {
            var samples = await ReadSamplesAsync(ffmpeg.StandardOutput, timeout.Token);
            int exit = await ffmpeg.WaitForExitAsync(timeout.Token);
            if (exit != 0) throw FfmpegErrors.FromExit(exit, ffmpeg.Errors);
            return samples;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DecodeTimeoutException($"ffmpeg did not finish within {_options.FfmpegTimeout.TotalSeconds:0.#} s. {ffmpeg.Errors}".Trim());
        }
        finally
        {
            ffmpeg.Kill();   // no-op when it has exited; otherwise stops the writer below from blocking
            await feed;      // nothing outlives this call, not even the task copying the input
        }
    }

    private static IEnumerable<string> Arguments() =>
    [
        "-hide_banner", "-nostats", "-loglevel", "error",
        "-threads", "1",
        "-i", "pipe:0",
        "-map", "0:a:0",           // first audio stream; "matches no streams" when there is none
        "-ac", "1", "-ar", FrontEnd.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-f", "f32le", "pipe:1",
    ];

    // Copies the input to ffmpeg's stdin. ffmpeg may stop reading early (error, or it has all it needs): the
    // broken pipe that follows is expected and the outcome is decided by the exit code, so it is swallowed here.
    private static async Task FeedAsync(Stream input, Stream stdin, CancellationToken ct)
    {
        try
        {
            await input.CopyToAsync(stdin, 1 << 16, ct);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            try { stdin.Dispose(); } catch (IOException) { }
        }
    }

    private async Task<float[]> ReadSamplesAsync(Stream stdout, CancellationToken ct)
    {
        long maxSamples = (long)Math.Ceiling(_options.MaxDuration.TotalSeconds * FrontEnd.SampleRate);
        var samples = new float[FrontEnd.SampleRate * 30];
        long count = 0;
        var buffer = new byte[1 << 16];
        int carry = 0; // bytes of an incomplete float left from the previous read
        while (true)
        {
            int n = await stdout.ReadAsync(buffer.AsMemory(carry), ct);
            if (n == 0) break;
            int bytes = carry + n;
            int floats = bytes / 4;
            if (count + floats > maxSamples) throw new AudioTooLongException(_options.MaxDuration);
            if (count + floats > samples.Length) Array.Resize(ref samples, (int)Math.Min(maxSamples, Math.Max(2L * samples.Length, count + floats)));
            MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, floats * 4)).CopyTo(samples.AsSpan((int)count));
            count += floats;
            carry = bytes - floats * 4;
            buffer.AsSpan(floats * 4, carry).CopyTo(buffer);
        }
        Array.Resize(ref samples, (int)count);
        return samples;
    }
}
