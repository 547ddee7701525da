namespace ConvEmbed.Audio.Features;

/// <summary>
/// Triangular filters on the HTK mel scale (mel = 2595·log10(1 + f/700)), peak 1, unnormalised, exactly as
/// PyTorch-style <c>mel_fb()</c> code builds them. Stored sparsely: each filter is non-zero only on a short run of FFT bins, so the
/// product with a power spectrum costs about two multiply-adds per bin instead of 64.
/// </summary>
public sealed class MelFilterbank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights;

    public MelFilterbank(int sampleRate, int fftSize, int bands, double minHz, double maxHz)
    {
        Bands = bands;
        Bins = fftSize / 2 + 1;
        double lo = HzToMel(minHz), hi = HzToMel(maxHz);
        var edges = new double[bands + 2];
        for (int i = 0; i < edges.Length; i++) edges[i] = MelToHz(lo + (hi - lo) * i / (bands + 1));
        _firstBin = new int[bands];
        _weights = new float[bands][];
        var row = new float[Bins];
        for (int m = 0; m < bands; m++)
        {
            double l = edges[m], c = edges[m + 1], r = edges[m + 2];
            int first = -1, last = -1;
            for (int k = 0; k < Bins; k++)
            {
                double f = (double)sampleRate / 2 * k / (Bins - 1);
                // A float32 PyTorch filterbank is the yardstick; rounding here keeps us bit-compatible with it.
                row[k] = (float)Math.Max(0.0, Math.Min((f - l) / (c - l), (r - f) / (r - c)));
                if (row[k] > 0) { if (first < 0) first = k; last = k; }
            }
            if (first < 0) { first = 0; last = -1; } // a band narrower than one bin stays empty, as in PyTorch-style code
            _firstBin[m] = first;
            _weights[m] = row.AsSpan(first, last - first + 1).ToArray();
        }
        CentreHz = edges.AsSpan(1, bands).ToArray();
        EdgesHz = edges;
    }

    public int Bands { get; }
    public int Bins { get; }

    /// <summary>Centre frequency of each band, where its weight is 1.</summary>
    public IReadOnlyList<double> CentreHz { get; }

    /// <summary>The bands + 2 edge frequencies; band m spans EdgesHz[m]..EdgesHz[m + 2].</summary>
    public IReadOnlyList<double> EdgesHz { get; }

    public static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);
    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>The dense weight of band <paramref name="band"/> at FFT bin <paramref name="bin"/> (for tests and plots).</summary>
    public float Weight(int band, int bin)
    {
        int i = bin - _firstBin[band];
        return i >= 0 && i < _weights[band].Length ? _weights[band][i] : 0f;
    }

    /// <summary>mel[m] = Σ_k W[m,k]·power[k].</summary>
    public void Apply(ReadOnlySpan<double> power, Span<double> mel)
    {
        for (int m = 0; m < Bands; m++)
        {
            var w = _weights[m];
            var p = power.Slice(_firstBin[m], w.Length);
            double sum = 0;
            for (int k = 0; k < w.Length; k++) sum += w[k] * p[k];
            mel[m] = sum;
        }
    }
}
