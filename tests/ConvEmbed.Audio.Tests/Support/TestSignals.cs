using ConvEmbed.Audio.Features;

namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Signals generated analytically at any sample rate, so the same sound can be rendered at 8–96 kHz.</summary>
internal static class TestSignals
{
    public static float[] Sine(double hz, double seconds, int rate, double amplitude = 0.5)
    {
        var x = new float[(int)(seconds * rate)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /// <summary>
    /// A chord of sines, one near the centre of every mel band below <paramref name="maxHz"/>, with slow amplitude
    /// modulation so frames differ. Every compared band holds a loud tone, which keeps quantisation noise of
    /// low bit depths far below the signal.
    /// </summary>
    public static float[] MelChord(double seconds, int rate, double maxHz, int seed = 1)
    {
        var rng = new Random(seed);
        var freqs = MelSpectrogram.Filterbank.CentreHz.Where(f => f < maxHz).ToArray();
        var phases = freqs.Select(_ => rng.NextDouble() * 2 * Math.PI).ToArray();
        var mods = freqs.Select(_ => 0.3 + rng.NextDouble() * 2).ToArray();
        double amp = 0.8 / freqs.Length;
        var x = new float[(int)(seconds * rate)];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / rate, s = 0;
            for (int j = 0; j < freqs.Length; j++)
                s += amp * (0.6 + 0.4 * Math.Sin(2 * Math.PI * mods[j] * t)) * Math.Sin(2 * Math.PI * freqs[j] * t + phases[j]);
            x[i] = (float)s;
        }
        return x;
    }

    /// <summary>Seeded white noise plus tones and a silent gap: exercises loud, quiet and silent frames.</summary>
    public static float[] Mixed(double seconds, int seed = 7)
    {
        var rng = new Random(seed);
        var x = new float[(int)(seconds * 16000)];
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / 16000.0;
            double s = 0.3 * Math.Sin(2 * Math.PI * 440 * t) + 0.1 * Math.Sin(2 * Math.PI * 3150 * t) + 0.05 * (rng.NextDouble() * 2 - 1);
            if (t > 0.6 && t < 0.9) s = 0; // digital silence
            x[i] = (float)s;
        }
        return x;
    }
}
