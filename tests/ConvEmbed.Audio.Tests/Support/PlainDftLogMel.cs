namespace ConvEmbed.Audio.Tests.Support;

/// <summary>
/// An independent, deliberately naive log-mel written from the definition in docs/method.md#front-end:
/// explicit reflect padding, periodic Hann, a plain O(N²) DFT in double, a dense float32 filterbank, ln(x + 1e-6).
/// Shares no code with ConvEmbed.Audio.
/// </summary>
internal static class PlainDftLogMel
{
    private const int Sr = 16000, NFft = 1024, Hop = 160, NMel = 64;
    private const double FMin = 50, FMax = 8000;

    public static float[,] Filterbank()
    {
        static double Hz2Mel(double f) => 2595.0 * Math.Log10(1.0 + f / 700.0);
        static double Mel2Hz(double m) => 700.0 * (Math.Pow(10, m / 2595.0) - 1.0);
        double lo = Hz2Mel(FMin), hi = Hz2Mel(FMax);
        var pts = new double[NMel + 2];
        for (int i = 0; i < pts.Length; i++) pts[i] = Mel2Hz(lo + i * (hi - lo) / (NMel + 1));
        var fb = new float[NMel, NFft / 2 + 1];
        for (int m = 0; m < NMel; m++)
            for (int k = 0; k <= NFft / 2; k++)
            {
                double f = k * (Sr / 2.0) / (NFft / 2);
                double up = (f - pts[m]) / (pts[m + 1] - pts[m]);
                double down = (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1]);
                fb[m, k] = (float)Math.Max(0, Math.Min(up, down));
            }
        return fb;
    }

    /// <summary>(64, T) log-mel of a 16 kHz mono signal.</summary>
    public static double[,] Compute(float[] x)
    {
        int pad = NFft / 2;
        var padded = new double[x.Length + 2 * pad];
        for (int i = 0; i < padded.Length; i++)
        {
            int j = i - pad;
            if (j < 0) j = -j;
            if (j >= x.Length) j = 2 * (x.Length - 1) - j;
            padded[i] = x[j];
        }
        int frames = 1 + (padded.Length - NFft) / Hop;
        var fb = Filterbank();
        var cos = new double[NFft];
        var sin = new double[NFft];
        for (int i = 0; i < NFft; i++) { cos[i] = Math.Cos(2 * Math.PI * i / NFft); sin[i] = Math.Sin(2 * Math.PI * i / NFft); }
        var result = new double[NMel, frames];
        var frame = new double[NFft];
        var power = new double[NFft / 2 + 1];
        for (int t = 0; t < frames; t++)
        {
            for (int n = 0; n < NFft; n++) frame[n] = padded[t * Hop + n] * (0.5 - 0.5 * cos[n]);
            for (int k = 0; k <= NFft / 2; k++)
            {
                double re = 0, im = 0;
                for (int n = 0; n < NFft; n++)
                {
                    int idx = (k * n) & (NFft - 1);
                    re += frame[n] * cos[idx];
                    im -= frame[n] * sin[idx];
                }
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < NMel; m++)
            {
                double s = 0;
                for (int k = 0; k <= NFft / 2; k++) s += fb[m, k] * power[k];
                result[m, t] = Math.Log(s + 1e-6);
            }
        }
        return result;
    }
}
