using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Mapping;

/// <summary>
/// t-SNE's starting map: the first two principal components of the normalised embeddings, scaled so the first has
/// std 10⁻⁴ (Kobak &amp; Linderman 2021: keeps the global layout that random starts lose). Components by power
/// iteration on XᵀX (X centred), the second kept orthogonal to the first; signs fixed so runs agree.
/// </summary>
public static class PcaInitialisation
{
    public const double Scale = 1e-4;

    /// <returns>Interleaved x, y per row.</returns>
    public static double[] Compute(IReadOnlyList<float[]> embeddings, int seed)
    {
        var x = EmbeddingNormalisation.Normalise(embeddings);
        int n = x.Length, d = x[0].Length;
        var mean = new double[d];
        foreach (var row in x)
            for (var c = 0; c < d; c++) mean[c] += row[c] / (double)n;
        var random = new Random(seed);
        var first = Component(x, mean, random, null);
        var second = Component(x, mean, random, first);
        var y = new double[2 * n];
        for (var i = 0; i < n; i++)
        {
            y[2 * i] = Project(x[i], mean, first);
            y[2 * i + 1] = Project(x[i], mean, second);
        }
        var std = Math.Sqrt(Enumerable.Range(0, n).Sum(i => y[2 * i] * y[2 * i]) / n);
        var scale = std > 0 ? Scale / std : 0;
        for (var c = 0; c < y.Length; c++) y[c] = scale > 0 ? y[c] * scale : (random.NextDouble() - 0.5) * Scale;
        return y;
    }

    private static double[] Component(float[][] x, double[] mean, Random random, double[]? orthogonalTo)
    {
        var d = mean.Length;
        var v = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            if (orthogonalTo is not null) RemoveProjection(v, orthogonalTo);
            Normalise(v);
            var next = new double[d];
            foreach (var row in x)
            {
                var a = Project(row, mean, v);
                for (var c = 0; c < d; c++) next[c] += a * (row[c] - mean[c]);
            }
            if (orthogonalTo is not null) RemoveProjection(next, orthogonalTo);
            if (Normalise(next) == 0) break; // no variance left in this direction
            var change = 0.0;
            for (var c = 0; c < d; c++) change = Math.Max(change, Math.Abs(next[c] - v[c]));
            v = next;
            if (change < 1e-9) break;
        }
        // The sign of an eigenvector is arbitrary: make the largest coordinate positive.
        var largest = v.MaxBy(Math.Abs);
        if (largest < 0) for (var c = 0; c < d; c++) v[c] = -v[c];
        return v;
    }

    private static double Project(float[] row, double[] mean, double[] v)
    {
        double s = 0;
        for (var c = 0; c < v.Length; c++) s += (row[c] - mean[c]) * v[c];
        return s;
    }

    private static void RemoveProjection(double[] v, double[] u)
    {
        var dot = v.Select((a, c) => a * u[c]).Sum();
        for (var c = 0; c < v.Length; c++) v[c] -= dot * u[c];
    }

    private static double Normalise(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(a => a * a));
        if (norm > 0) for (var c = 0; c < v.Length; c++) v[c] /= norm;
        return norm;
    }
}
