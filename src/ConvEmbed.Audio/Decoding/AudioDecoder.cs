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

    public AudioDecoder(AudioOptions? options = null)
    {
        _options = (options ?? new AudioOptions()).Validate();
        _ffmpeg = new FfmpegDecoder(_options);
    }

    public AudioOptions Options => _options;

    /// <summary>Decodes a file; see <see cref="DecodeAsync(Stream, CancellationToken)"/>.</summary>
    public async Task<float[]> DecodeFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await DecodeAsync(file, cancellationToken);
    }

    /// <summary>Reads <paramref name="input"/> to its end (forward only) and returns mono 16 kHz samples.</summary>
    /// <exception cref="AudioException">A specific subtype for each kind of bad input.</exception>
    public async Task<float[]> DecodeAsync(Stream input, CancellationToken cancellationToken = default)
    {
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
        else
        {
            samples = await _ffmpeg.DecodeAsync(replay, cancellationToken);
        }

        var duration = TimeSpan.FromSeconds((double)samples.Length / FrontEnd.SampleRate);
        if (duration < _options.MinDuration) throw new AudioTooShortException(duration, _options.MinDuration);
        if (duration > _options.MaxDuration) throw new AudioTooLongException(_options.MaxDuration);
        return samples;
    }

    /// <summary>Resamples managed-path audio to the front-end rate; resamplers are built once per input rate.</summary>
    public static float[] ToFrontEndRate(MonoAudio audio) =>
        audio.SampleRate == FrontEnd.SampleRate
            ? audio.Samples
            : Resamplers.GetOrAdd(audio.SampleRate, rate => new Resampler(rate, FrontEnd.SampleRate)).Process(audio.Samples);
}
