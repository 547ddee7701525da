using System.Numerics;

namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Lloyd's k-means with greedy k-means++ seeding (Arthur &amp; Vassilvitskii 2007), restarted several times
/// with one seeded generator, keeping the restart of lowest inertia — the algorithm of scikit-learn's
/// <c>KMeans(n_init=10)</c>, run on ℓ2-normalised embeddings (docs/method.md#k-means-ami-and-ari):
/// <code>
/// minimise  Σ_i ‖x_i − μ_{c(i)}‖²
/// seeding:  μ_1 uniform; each next centre is the best (lowest potential) of 2 + ⌊ln k⌋ candidates drawn ∝ D(x)²
/// repeat:   c(i) = argmin_c ‖x_i − μ_c‖²;  μ_c = mean of its points
/// until     assignments stop changing, or Σ_c ‖Δμ_c‖² ≤ tol · mean_d Var(x_d)
/// </code>
/// An emptied cluster takes the point farthest from its centre. Same seed, same input → same result;
/// the numbers differ from scikit-learn's only through the random stream.
/// </summary>
public sealed class KMeansClustering
{
    public KMeansClustering(int clusters, int restarts = 10, int seed = 0, int maxIterations = 300, double tolerance = 1e-4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        Clusters = clusters;
        Restarts = restarts;
        Seed = seed;
        MaxIterations = maxIterations;
        Tolerance = tolerance;
    }

    public int Clusters { get; }
    public int Restarts { get; }
    public int Seed { get; }
    public int MaxIterations { get; }
    public double Tolerance { get; }

    public KMeansResult Fit(IReadOnlyList<float[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < Clusters)
            throw new ArgumentException($"k-means with k = {Clusters} needs at least {Clusters} points, got {points.Count}");
        var x = points.Select(p => Array.ConvertAll(p, v => (double)v)).ToArray();
        if (x.Any(p => p.Length != x[0].Length)) throw new ArgumentException("points differ in dimension");

        var random = new Random(Seed);
        var tolerance = Tolerance * MeanVariance(x);
        KMeansResult? best = null;
        for (var r = 0; r < Restarts; r++)
        {
            var result = Lloyd(x, SeedCentroids(x, random), tolerance);
            if (best is null || result.Inertia < best.Inertia) best = result;
        }
        return best!;
    }

    private double[][] SeedCentroids(double[][] x, Random random)
    {
        var trials = 2 + (int)Math.Log(Clusters);
        var centroids = new double[Clusters][];
        centroids[0] = (double[])x[random.Next(x.Length)].Clone();
        var closest = x.Select(p => SquaredDistance(p, centroids[0])).ToArray();
        var potential = closest.Sum();
        for (var c = 1; c < Clusters; c++)
        {
            int bestCandidate = -1;
            double[]? bestClosest = null;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                var candidate = DrawProportional(closest, potential, random);
                var candidateClosest = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    candidateClosest[i] = Math.Min(closest[i], SquaredDistance(x[i], x[candidate]));
                var candidatePotential = candidateClosest.Sum();
                if (candidatePotential < bestPotential)
                    (bestCandidate, bestClosest, bestPotential) = (candidate, candidateClosest, candidatePotential);
            }
            centroids[c] = (double[])x[bestCandidate].Clone();
            closest = bestClosest!;
            potential = bestPotential;
        }
        return centroids;
    }

    // Index drawn with probability weight_i / total; uniform when every weight is 0 (all points coincide).
    private static int DrawProportional(double[] weights, double total, Random random)
    {
        if (!(total > 0)) return random.Next(weights.Length);
        var u = random.NextDouble() * total;
        double cumulative = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (u < cumulative) return i;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }

    private KMeansResult Lloyd(double[][] x, double[][] centroids, double tolerance)
    {
        var assignments = new int[x.Length];
        var distances = new double[x.Length];
        Assign(x, centroids, assignments, distances);
        var iterations = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            var shift = UpdateCentroids(x, centroids, assignments, distances);
            var changed = Assign(x, centroids, assignments, distances);
            if (!changed || shift <= tolerance) break;
        }
        return new KMeansResult(assignments, centroids, distances.Sum(), iterations);
    }

    // Assigns each point to its nearest centre (lowest index on ties); returns whether any assignment changed.
    private static bool Assign(double[][] x, double[][] centroids, int[] assignments, double[] distances)
    {
        var changed = false;
        for (var i = 0; i < x.Length; i++)
        {
            var best = 0;
            var bestDistance = SquaredDistance(x[i], centroids[0]);
            for (var c = 1; c < centroids.Length; c++)
            {
                var d = SquaredDistance(x[i], centroids[c]);
                if (d < bestDistance) (best, bestDistance) = (c, d);
            }
            changed |= assignments[i] != best;
            assignments[i] = best;
            distances[i] = bestDistance;
        }
        return changed;
    }

    // Moves each centre to the mean of its points; returns Σ_c ‖Δμ_c‖².
    private static double UpdateCentroids(double[][] x, double[][] centroids, int[] assignments, double[] distances)
    {
        var dimension = x[0].Length;
        var sums = new double[centroids.Length][];
        var counts = new int[centroids.Length];
        for (var c = 0; c < sums.Length; c++) sums[c] = new double[dimension];
        for (var i = 0; i < x.Length; i++)
        {
            counts[assignments[i]]++;
            for (var d = 0; d < dimension; d++) sums[assignments[i]][d] += x[i][d];
        }

        // Empty clusters restart at the points worst served by their current centre, farthest first.
        var farthest = Enumerable.Range(0, x.Length).OrderByDescending(i => distances[i]).ThenBy(i => i).ToArray();
        var next = 0;
        var shift = 0.0;
        for (var c = 0; c < centroids.Length; c++)
        {
            var updated = counts[c] > 0
                ? sums[c].Select(s => s / counts[c]).ToArray()
                : (double[])x[farthest[next++]].Clone();
            shift += SquaredDistance(updated, centroids[c]);
            centroids[c] = updated;
        }
        return shift;
    }

    private static double MeanVariance(double[][] x)
    {
        var dimension = x[0].Length;
        double total = 0;
        for (var d = 0; d < dimension; d++)
        {
            double mean = 0, squares = 0;
            foreach (var p in x) mean += p[d];
            mean /= x.Length;
            foreach (var p in x) squares += (p[d] - mean) * (p[d] - mean);
            total += squares / x.Length;
        }
        return dimension == 0 ? 0 : total / dimension;
    }

    // SIMD where available: this loop is nearly all of k-means' time (N·k·d per iteration).
    private static double SquaredDistance(double[] a, double[] b)
    {
        var d = 0;
        var accumulator = Vector<double>.Zero;
        for (; d <= a.Length - Vector<double>.Count; d += Vector<double>.Count)
        {
            var difference = new Vector<double>(a, d) - new Vector<double>(b, d);
            accumulator += difference * difference;
        }
        var sum = Vector.Sum(accumulator);
        for (; d < a.Length; d++) sum += (a[d] - b[d]) * (a[d] - b[d]);
        return sum;
    }
}
