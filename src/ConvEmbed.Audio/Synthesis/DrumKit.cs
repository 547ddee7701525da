namespace ConvEmbed.Audio.Synthesis;

/// <summary>Synthetic percussion: a pitch-swept sine kick, a tone-plus-noise snare and a high-passed-noise hi-hat.</summary>
internal sealed class DrumKit(int sampleRate, Random rng)
{
    private readonly double _kickPitch = 45 + rng.NextDouble() * 25;
    private readonly double _snareTone = 160 + rng.NextDouble() * 100;
    private readonly double _hatDecay = 0.02 + rng.NextDouble() * 0.05;

    public void Kick(float[] buffer, int start, double gain)
    {
        int n = Math.Min(buffer.Length - start, (int)(0.35 * sampleRate));
        double phase = 0;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            double f = _kickPitch + 110 * Math.Exp(-t * 35);
            phase += 2 * Math.PI * f / sampleRate;
            buffer[start + i] += (float)(gain * Math.Exp(-t * 9) * Math.Sin(phase));
        }
    }

    public void Snare(float[] buffer, int start, double gain)
    {
        int n = Math.Min(buffer.Length - start, (int)(0.25 * sampleRate));
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            double tone = Math.Sin(2 * Math.PI * _snareTone * t) * Math.Exp(-t * 30);
            double noise = (rng.NextDouble() * 2 - 1) * Math.Exp(-t * 18);
            buffer[start + i] += (float)(gain * (0.4 * tone + 0.6 * noise));
        }
    }

    public void Hat(float[] buffer, int start, double gain)
    {
        int n = Math.Min(buffer.Length - start, (int)(_hatDecay * 5 * sampleRate));
        double previous = 0, k = -1.0 / (_hatDecay * sampleRate), env = 1, step = Math.Exp(k);
        for (int i = 0; i < n; i++)
        {
            double white = rng.NextDouble() * 2 - 1;
            buffer[start + i] += (float)(gain * env * (white - previous) * 0.5); // first difference: crude high-pass
            previous = white;
            env *= step;
        }
    }
}
