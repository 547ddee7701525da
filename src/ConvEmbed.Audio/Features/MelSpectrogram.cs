namespace ConvEmbed.Audio.Features;

/// <summary>
/// The log-mel front end of docs/method.md#front-end, equal within 1e-4 to the same front end written in PyTorch:
/// power STFT (periodic Hann, n_fft 1024, hop 160, centred frames with reflect padding as torch.stft(center=True)),
/// 64 HTK triangular bands 50–8000 Hz, then ln(mel + 1e-6). Not thread-safe (owns FFT buffers); cheap to create.
/// </summary>
public sealed class MelSpectrogram
{
    private readonly RealFft _fft = new(FrontEnd.FftSize);
    private readonly double[] _window = new double[FrontEnd.FftSize];
    private readonly double[] _frame = new double[FrontEnd.FftSize];
    private readonly double[] _power;
    private readonly double[] _mel = new double[FrontEnd.MelBands];

    /// <summary>Shared, immutable: building it costs more than a frame.</summary>
    public static MelFilterbank Filterbank { get; } = new(
        FrontEnd.SampleRate, FrontEnd.FftSize, FrontEnd.MelBands, FrontEnd.MinFrequency, FrontEnd.MaxFrequency);

    public MelSpectrogram()
    {
        for (int i = 0; i < _window.Length; i++)
            _window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / _window.Length); // periodic Hann
        _power = new double[_fft.Bins];
    }

    /// <summary>Log-mel of mono 16 kHz <paramref name="samples"/>: <see cref="FrontEnd.FrameCount"/> frames.</summary>
    public LogMel Compute(ReadOnlySpan<float> samples)
    {
        int frames = FrontEnd.FrameCount(samples.Length);
        var values = new float[FrontEnd.MelBands * frames];
        for (int t = 0; t < frames; t++)
        {
            ComputeFrame(samples, t);
            for (int m = 0; m < FrontEnd.MelBands; m++)
                values[m * frames + t] = (float)Math.Log(_mel[m] + FrontEnd.LogOffset);
        }
        return new LogMel(FrontEnd.MelBands, frames, values);
    }

    private void ComputeFrame(ReadOnlySpan<float> samples, int t)
    {
        int n = FrontEnd.FftSize;
        int start = t * FrontEnd.HopLength - n / 2;
        if (start >= 0 && start + n <= samples.Length)
        {
            var src = samples.Slice(start, n);
            for (int i = 0; i < n; i++) _frame[i] = src[i] * _window[i];
        }
        else
        {
            for (int i = 0; i < n; i++) _frame[i] = Reflect(samples, start + i) * _window[i];
        }
        _fft.Power(_frame, _power);
        Filterbank.Apply(_power, _mel);
    }

    /// <summary>Reflect padding without repeating the edge sample (numpy/torch "reflect").</summary>
    private static float Reflect(ReadOnlySpan<float> x, int i)
    {
        int len = x.Length;
        if (len == 1) return x[0];
        if (len == 0) return 0f;
        int period = 2 * (len - 1);
        i %= period;
        if (i < 0) i += period;
        return i < len ? x[i] : x[period - i];
    }
}
