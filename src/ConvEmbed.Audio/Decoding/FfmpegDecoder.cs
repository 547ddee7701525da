using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Ffmpeg;
using ConvEmbed.Audio.Processes;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// Decodes anything ffmpeg reads (mp3, flac, ogg/vorbis, opus, m4a/aac, …) to mono float32 at 16 kHz.
/// The bytes are streamed to ffmpeg's stdin (or, for a file, ffmpeg opens it and may seek) and float32 WAV (every channel, resampled by ffmpeg) read from its
/// stdout by <see cref="WavReader"/>, which takes the channel mean: no temporary files. The run is
/// bounded by <see cref="AudioOptions.FfmpegTimeout"/> and by <see cref="AudioOptions.MaxDuration"/> (checked while
/// reading, so an over-long file is rejected without being held in memory); on any error the process is killed.
/// </summary>
public sealed class FfmpegDecoder(AudioOptions options)
{
    private readonly AudioOptions _options = options.Validate();

    /// <summary>Streams <paramref name="input"/> to ffmpeg's stdin (forward only: containers that keep their index at
    /// the end, like MP4 written by default, need <see cref="DecodeFileAsync"/>).</summary>
    public Task<float[]> DecodeAsync(Stream input, CancellationToken cancellationToken = default) =>
        RunAsync("pipe:0", input, "the input", cancellationToken);

    /// <summary>Lets ffmpeg open <paramref name="path"/> itself, so it can seek (MP4/M4A with the index at the end).</summary>
    public Task<float[]> DecodeFileAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync("file:" + Path.GetFullPath(path), null, Path.GetFileName(path), cancellationToken);

    private async Task<float[]> RunAsync(string source, Stream? input, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await DecodeWithAsync(source, input, name, cancellationToken);
        }
        catch (ProgramMissingException e)
        {
            throw new FfmpegMissingException($"ffmpeg is needed for this format but {e.Message}", e);
        }
    }

    private Task<float[]> DecodeWithAsync(string source, Stream? input, string name, CancellationToken cancellationToken) =>
        ChildProcess.RunAsync(_options.FfmpegPath, Arguments(source), _options.FfmpegTimeout,
            input is null ? null : (stdin, ct) => FeedAsync(input, stdin, ct),
            async (ffmpeg, feed, ct) =>
            {
                MonoAudio? audio = null;
                AudioException? unreadable = null;
                try
                {
                    audio = await WavReader.ReadAsync(ffmpeg.StandardOutput, _options.MaxDuration, ct);
                }
                catch (AudioTooLongException) { throw; }
                catch (AudioException e) { unreadable = e; } // usually ffmpeg failed and wrote nothing; its exit code says why
                int exit = await ffmpeg.WaitForExitAsync(ct);
                ct.ThrowIfCancellationRequested(); // killed by the timeout: the exit code means nothing
                if (await feed is { } inputError)
                    throw new IOException($"Reading the audio input failed: {inputError.Message}", inputError);
                if (exit != 0) throw FfmpegErrors.FromExit(exit, ffmpeg.Errors);
                // Exit 0 without a readable WAV: ffmpeg found nothing to decode and wrote no output at all.
                if (unreadable is not null || audio is null || audio.Samples.Length == 0)
                    throw new CorruptAudioException($"ffmpeg produced no audio from {name}. {ffmpeg.Errors}".Trim(), unreadable);
                return audio.Samples;
            },
            ffmpeg => new DecodeTimeoutException($"ffmpeg did not finish within {_options.FfmpegTimeout.TotalSeconds:0.#} s. {ffmpeg.Errors}".Trim()),
            cancellationToken);

    private static IEnumerable<string> Arguments(string source) =>
    [
        "-hide_banner", "-nostats", "-loglevel", "error",
        "-threads", "1",
        "-i", source,
        "-map", "0:a:0",           // first audio stream; "matches no streams" when there is none
        "-ar", FrontEnd.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // All channels out, as float WAV: we downmix with the channel mean like the managed WAV path. ffmpeg's own
        // "-ac 1" mixes stereo as (L+R)/√2, which would make an mp3 louder than the same track as WAV by ln 2 in log-mel.
        "-c:a", "pcm_f32le", "-f", "wav", "pipe:1",
    ];

    // Copies the input to ffmpeg's stdin. ffmpeg may stop reading early (error, or it has all it needs): the
    // broken pipe that follows is expected and the outcome is decided by the exit code, so write errors are swallowed.
    // A failed read of the input is different (an upload that broke half-way): it is returned, and fails the decode,
    // so a prefix of the input is never taken for the whole.
    private static async Task<Exception?> FeedAsync(Stream input, Stream stdin, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        while (true)
        {
            int n;
            try
            {
                n = await input.ReadAsync(buffer, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return e;
            }
            if (n == 0) return null;
            try
            {
                await stdin.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { return null; }
        }
    }
}
