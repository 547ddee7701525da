namespace ConvEmbed.Model.Mapping;

/// <summary>
/// t-SNE (van der Maaten &amp; Hinton 2008) with Barnes-Hut gradients (van der Maaten 2014): a 2-D map in which
/// tracks that are near in the embedding space stay near. Input geometry is cosine (as search uses): rows are
/// normalised, d² = 2 − 2·cos. Affinities over ⌊3·perplexity⌋ exact neighbours (<see cref="InputAffinities"/>),
/// PCA initialisation scaled to std 10⁻⁴ (Kobak &amp; Linderman 2021), early exaggeration, gradient descent with
/// momentum (0.5, then 0.8) and per-coordinate gains (Jacobs 1988) as in van der Maaten's bhtsne.
/// Deterministic for a given input and seed (the parallel sums are per point, added in order).
/// </summary>
public sealed class Tsne(TsneOptions options)
{
    public TsneOptions Options { get; } = options;

    /// <summary>KL(P ‖ Q) at the end of the last <see cref="Fit"/>.</summary>
    public double KullbackLeibler { get; private set; }

    /// <param name="embeddings">One vector per track (cosine geometry).</param>
    /// <param name="progress">Phases and iterations, as they pass.</param>
    /// <param name="ct">Stops between iterations.</param>
    /// <param name="initial">Where to start instead of the PCA projection — a previous layout, so that a re-layout
    /// keeps regions where the user saw them. Such a start is already organised: it gets no early exaggeration (which
    /// would pull the known clusters apart again) and a third of the iterations (a refinement: every further iteration
    /// lets the map drift and grow).</param>
    public MapPoint[] Fit(IReadOnlyList<float[]> embeddings, IProgress<TsneProgress>? progress = null, CancellationToken ct = default,
        IReadOnlyList<MapPoint>? initial = null)
    {
        var problems = Options.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        var n = embeddings.Count;
        if (n <= 1) return n == 0 ? [] : [new MapPoint(0, 0)];

        // A perplexity near N makes every point everyone's neighbour: small libraries get at most (N − 1) / 3.
        var perplexity = Math.Max(1, Math.Min(Options.Perplexity, (n - 1) / 3.0));
        var k = Math.Min(n - 1, Math.Max(1, (int)(3 * perplexity)));
        progress?.Report(new TsneProgress("neighbours", 0, Options.Iterations));
        var (index, distance2) = NearestNeighbours.Find(embeddings, k, ct);
        progress?.Report(new TsneProgress("affinities", 0, Options.Iterations));
        var p = InputAffinities.FromNeighbours(index, distance2, perplexity);

        if (initial is not null && initial.Count != n) throw new ArgumentException($"the initial layout has {initial.Count} points for {n} vectors");
        var y = initial is null ? PcaInitialisation.Compute(embeddings, Options.Seed) : Flatten(initial);
        var exaggerationIterations = initial is null ? Options.ExaggerationIterations : 0;
        var iterations = initial is null ? Options.Iterations : Math.Max(1, Options.Iterations / 3);
        var update = new double[2 * n];
        var gains = Enumerable.Repeat(1.0, 2 * n).ToArray();
        var gradient = new double[2 * n];
        var rate = Options.LearningRateFor(n);
        double z = 1;
        var interpolation = Options.Interpolates(n) ? new InterpolatedRepulsion() : null;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            ct.ThrowIfCancellationRequested();
            var early = iteration < exaggerationIterations;
            z = TsneGradient.Compute(p, y, early ? Options.Exaggeration : 1, Options.Theta, gradient, interpolation);
            var momentum = early ? 0.5 : 0.8;
            for (var c = 0; c < 2 * n; c++)
            {
                // Gains grow where the step keeps its direction and shrink where it flips.
                gains[c] = gradient[c] * update[c] < 0 ? gains[c] + 0.2 : Math.Max(gains[c] * 0.8, 0.01);
                update[c] = momentum * update[c] - rate * gains[c] * gradient[c];
                y[c] += update[c];
            }
            Recentre(y);
            if ((iteration + 1) % 25 == 0 || iteration + 1 == iterations)
                progress?.Report(new TsneProgress("optimising", iteration + 1, iterations));
        }
        KullbackLeibler = TsneGradient.KullbackLeibler(p, y, z);
        var points = new MapPoint[n];
        for (var i = 0; i < n; i++) points[i] = new MapPoint((float)y[2 * i], (float)y[2 * i + 1]);
        return points;
    }

    private static double[] Flatten(IReadOnlyList<MapPoint> points)
    {
        var y = new double[2 * points.Count];
        for (var i = 0; i < points.Count; i++) (y[2 * i], y[2 * i + 1]) = (points[i].X, points[i].Y);
        Recentre(y);
        return y;
    }

    private static void Recentre(double[] y)
    {
        double mx = 0, my = 0;
        var n = y.Length / 2;
        for (var i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n; my /= n;
        for (var i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }
}
