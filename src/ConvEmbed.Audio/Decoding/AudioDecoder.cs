using System.Collections.Concurrent;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Resampling;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// The front door of decoding: any supported input to mono float32 at 16 kHz, with the duration limits of
/// <see cref="AudioOptions"/> enforced. PCM/float WAV is read in managed code and resampled here; every other format
/// (including WAV codecs like ADPCM or µ-law) is streamed through ffmpeg. Thread-safe.
/// </summary>
public sealed class AudioDecoder
{
    // Enough to find the fmt chunk behind the usual LIST/bext/JUNK chunks that precede it.
    private const int SniffBytes = 1 << 16;
    private static readonly ConcurrentDictionary<int, Resampler> Resamplers = new();
    private readonly AudioOptions _options;
    private readonly FfmpegDecoder _ffmpeg;
    private readonly SoxDecoder _sox;

    public AudioDecoder(AudioOptions? options = null)
    {
        _options = (options ?? new AudioOptions()).Validate();
        _ffmpeg = new FfmpegDecoder(_options);
        _sox = new SoxDecoder(_options);
    }

    public AudioOptions Options => _options;

    /// <summary>Decodes a file; see <see cref="DecodeAsync(Stream, CancellationToken)"/>.</summary>
    public async Task<float[]> DecodeFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await DecodeAsync(file, cancellationToken);
    }

    /// <summary>
    /// Reads <paramref name="input"/> and returns mono 16 kHz samples. A file opened at its start is handed to the
    /// decoders by path: ffmpeg can seek (MP4/M4A keep their index at the end), and when ffmpeg fails SoX is tried
    /// before the file is called unreadable. Any other stream is read forward only; one that starts like an MP4
    /// is first copied to a temporary file for the same reason.
    /// </summary>
    /// <exception cref="AudioException">A specific subtype for each kind of bad input.</exception>
    public async Task<float[]> DecodeAsync(Stream input, CancellationToken cancellationToken = default)
    {
        string? path = input is FileStream { CanSeek: true } file && file.Position == 0 ? file.Name : null;
        // Sniff without waiting for more than the stream offers: a stalled upload must reach ffmpeg (and its timeout).
        var prefix = new byte[SniffBytes];
        int got = 0;
        while (got < prefix.Length)
        {
            int n = await input.ReadAsync(prefix.AsMemory(got), cancellationToken);
            if (n == 0) break;
            got += n;
            if (got >= 12 && !WavFormat.IsRiffWave(prefix.AsSpan(0, got))) break;
            if (WavFormat.Sniff(prefix.AsSpan(0, got)) is not null) break;
        }
        if (got == 0) throw new UnsupportedFormatException("The input is empty.");
        var replay = new PrefixedStream(prefix.AsMemory(0, got), input);

        float[] samples;
        var wav = WavFormat.Sniff(prefix.AsSpan(0, got));
        if (wav is { IsSupported: true } || (wav is null && WavFormat.IsRiffWave(prefix.AsSpan(0, got))))
        {
            var audio = await WavReader.ReadAsync(replay, _options.MaxDuration, cancellationToken);
            samples = ToFrontEndRate(audio);
        }
        else if (path is not null)
        {
            samples = await DecodePathAsync(path, SoxDecoder.TypeOf(prefix.AsSpan(0, got)), cancellationToken);
        }
        else if (NeedsSeeking(prefix.AsSpan(0, got)))
        {
            samples = await DecodeSpooledAsync(replay, cancellationToken);
        }
        else
        {
            samples = await _ffmpeg.DecodeAsync(replay, cancellationToken);
        }

        var duration = TimeSpan.FromSeconds((double)samples.Length / FrontEnd.SampleRate);
        if (duration < _options.MinDuration) throw new AudioTooShortException(duration, _options.MinDuration);
        if (duration > _options.MaxDuration) throw new AudioTooLongException(_options.MaxDuration);
        return samples;
    }

    // ffmpeg first (its libraries in this process when they are there, else the command); when it cannot read the
    // file (refused, broken, no samples), SoX, which has its own Ogg/Vorbis,
    // FLAC and MP3 readers. The error names both attempts. A timeout or an over-long file is final.
    private async Task<float[]> DecodePathAsync(string path, string? soxType, CancellationToken ct)
    {
        try
        {
            return _options.InProcess && InProcessDecoder.IsAvailable
                ? await InProcessDecoder.DecodeFileAsync(path, _options, ct)
                : await _ffmpeg.DecodeFileAsync(path, ct);
        }
        catch (AudioException first) when (first is not (AudioTooLongException or DecodeTimeoutException) && !string.IsNullOrEmpty(_options.SoxPath))
        {
            try
            {
                return await _sox.DecodeFileAsync(path, soxType, ct);
            }
            catch (AudioException second) when (second is not AudioTooLongException)
            {
                string message = $"{first.Message.TrimEnd('.')}. The second decoder failed too: {second.Message}";
                throw first switch
                {
                    UnsupportedFormatException => new UnsupportedFormatException(message, first),
                    NoAudioStreamException => new NoAudioStreamException(message, first),
                    FfmpegMissingException => new FfmpegMissingException(message, first),
                    _ => new CorruptAudioException(message, first),
                };
            }
        }
    }

    /// <summary>ISO base media (MP4, M4A, MOV, 3GP): a box size then "ftyp" (or an old QuickTime top-level box).</summary>
    public static bool NeedsSeeking(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 8 && (prefix[4..8].SequenceEqual("ftyp"u8) || prefix[4..8].SequenceEqual("moov"u8) ||
                               prefix[4..8].SequenceEqual("mdat"u8) || prefix[4..8].SequenceEqual("wide"u8));

    // A stream that is not a file but needs seeking: copy it to a temporary file (the decode's time limit covers the copy).
    private async Task<float[]> DecodeSpooledAsync(Stream replay, CancellationToken ct)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"convembed-decode-{Guid.NewGuid():N}.mp4");
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(_options.FfmpegTimeout);
                await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                try
                {
                    await replay.CopyToAsync(file, timeout.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new DecodeTimeoutException($"The input did not arrive within {_options.FfmpegTimeout.TotalSeconds:0.#} s.");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new IOException($"Reading the audio input failed: {e.Message}", e);
                }
            }
            return await DecodePathAsync(temp, null, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Resamples managed-path audio to the front-end rate; resamplers are built once per input rate.</summary>
    public static float[] ToFrontEndRate(MonoAudio audio) =>
        audio.SampleRate == FrontEnd.SampleRate
            ? audio.Samples
            : Resamplers.GetOrAdd(audio.SampleRate, rate => new Resampler(rate, FrontEnd.SampleRate)).Process(audio.Samples);
}
