namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// The MFCC-statistics baseline of docs/method.md#mfcc-statistics. For a log-mel
/// matrix L (M mel bands × T frames):
/// <code>
/// D_jm = √(2/M) · cos(π/M · (m + ½) · j),   j = 0..19, m = 0..M−1      (DCT-II)
/// c_t  = D L_t                               20 cepstral coefficients per frame
/// Δ_t  = c_{t+1} − c_t,  t = 0..T−2          first difference (numpy.diff), not a regression delta
/// f    = [mean_t c, std_t c, mean_t Δ, std_t Δ]   → 80 values, std with divisor T (resp. T−1)
/// </code>
/// then, over the set of tracks, every dimension is standardised: (f − mean) / (std + 1e−8).
/// Note the PyTorch version scales row 0 by √(2/M) like the others, so D is orthonormal except that row 0 is
/// √2 too large; this is kept for exactness, and the per-dimension standardisation removes it anyway.
/// The PyTorch version applies it to the normalised log-mel (an affine map of the log-mel); after
/// standardisation either input gives the same features.
/// </summary>
public static class MfccStatistics
{
    public const int Coefficients = 20;
    public const int FeatureLength = 4 * Coefficients;
    private const double StandardisationEpsilon = 1e-8;

    /// <summary>The 20 × M DCT-II matrix D above, row j = coefficient j.</summary>
    public static double[,] DctMatrix(int melBands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBands, Coefficients);
        var d = new double[Coefficients, melBands];
        var scale = Math.Sqrt(2.0 / melBands);
        for (var j = 0; j < Coefficients; j++)
        for (var m = 0; m < melBands; m++)
            d[j, m] = scale * Math.Cos(Math.PI / melBands * (m + 0.5) * j);
        return d;
    }

    /// <summary>20 × T cepstral coefficients of a row-major M × T log-mel matrix.</summary>
    public static double[,] Cepstrum(ReadOnlySpan<float> logMel, int melBands, int frames)
    {
        if (logMel.Length != melBands * frames)
            throw new ArgumentException($"log-mel has {logMel.Length} values, expected {melBands} × {frames}");
        var dct = DctMatrix(melBands);
        var c = new double[Coefficients, frames];
        for (var j = 0; j < Coefficients; j++)
        for (var m = 0; m < melBands; m++)
        {
            var w = dct[j, m];
            var row = logMel.Slice(m * frames, frames);
            for (var t = 0; t < frames; t++) c[j, t] += w * row[t];
        }
        return c;
    }

    /// <summary>The 80-d statistics of one track's M × T log-mel (row-major, mel band major).</summary>
    public static float[] Compute(ReadOnlySpan<float> logMel, int melBands, int frames)
    {
        if (frames < 2) throw new ArgumentException($"MFCC statistics need at least 2 frames for a delta, got {frames}");
        var c = Cepstrum(logMel, melBands, frames);
        var features = new float[FeatureLength];
        for (var j = 0; j < Coefficients; j++)
        {
            var (mean, std) = MeanStd(t => c[j, t], frames);
            var (deltaMean, deltaStd) = MeanStd(t => c[j, t + 1] - c[j, t], frames - 1);
            features[j] = (float)mean;
            features[Coefficients + j] = (float)std;
            features[2 * Coefficients + j] = (float)deltaMean;
            features[3 * Coefficients + j] = (float)deltaStd;
        }
        return features;
    }

    /// <summary>The 80-d statistics of one track's log-mel given as [mel band, frame].</summary>
    public static float[] Compute(float[,] logMel)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        int melBands = logMel.GetLength(0), frames = logMel.GetLength(1);
        var flat = new float[melBands * frames];
        Buffer.BlockCopy(logMel, 0, flat, 0, flat.Length * sizeof(float)); // a float[,] is stored row-major
        return Compute(flat, melBands, frames);
    }

    /// <summary>Standardises each dimension: (f − mean) / (population std + 1e−8), the mean and std taken over the rows
    /// <paramref name="statisticsFrom"/> (every row when null), e.g. a training pool's, and applied to every row.</summary>
    public static float[][] Standardise(IReadOnlyList<float[]> features, IReadOnlyList<int>? statisticsFrom = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0) return [];
        var dimension = features[0].Length;
        var result = features.Select(_ => new float[dimension]).ToArray();
        for (var k = 0; k < dimension; k++)
        {
            var (mean, std) = statisticsFrom is null
                ? MeanStd(i => features[i][k], features.Count)
                : MeanStd(i => features[statisticsFrom[i]][k], statisticsFrom.Count);
            for (var i = 0; i < features.Count; i++)
                result[i][k] = (float)((features[i][k] - mean) / (std + StandardisationEpsilon));
        }
        return result;
    }

    private static (double Mean, double Std) MeanStd(Func<int, double> value, int count)
    {
        double mean = 0, squares = 0;
        for (var i = 0; i < count; i++) mean += value(i);
        mean /= count;
        for (var i = 0; i < count; i++) squares += (value(i) - mean) * (value(i) - mean);
        return (mean, Math.Sqrt(squares / count));
    }
}
