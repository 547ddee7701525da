using ConvEmbed.Model.Mapping;

namespace ConvEmbed.Model.Tests.Mapping;

public sealed class TsneGradientTests
{
    private static (InputAffinities P, double[] Y) Problem(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 8).Select(_ => random.NextSingle() - 0.5f).ToArray()).ToList();
        var (index, distance2) = NearestNeighbours.Find(x, 15);
        var p = InputAffinities.FromNeighbours(index, distance2, 5);
        var y = Enumerable.Range(0, 2 * n).Select(_ => random.NextDouble() * 10 - 5).ToArray();
        return (p, y);
    }

    /// <summary>∂KL/∂y_i written out densely, pair by pair: 4·Σ_j (α·P_ij − q_ij)·w_ij·(y_i − y_j).</summary>
    private static double[] DenseGradient(InputAffinities p, double[] y, double exaggeration)
    {
        var n = p.Points;
        var dense = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) dense[i, p.Columns[e]] = p.Values[e];
        var w = new double[n, n];
        double z = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (i != j)
                {
                    w[i, j] = 1 / (1 + Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2));
                    z += w[i, j];
                }
        var g = new double[2 * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var f = 4 * (exaggeration * dense[i, j] - w[i, j] / z) * w[i, j];
                g[2 * i] += f * (y[2 * i] - y[2 * j]);
                g[2 * i + 1] += f * (y[2 * i + 1] - y[2 * j + 1]);
            }
        return g;
    }

    private static double RelativeError(double[] a, double[] b) =>
        Math.Sqrt(a.Zip(b, (u, v) => (u - v) * (u - v)).Sum()) / Math.Sqrt(b.Sum(v => v * v));

    [Theory]
    [InlineData(1.0)]
    [InlineData(12.0)]
    public void WithThetaZeroTheGradientIsTheExactOne(double exaggeration)
    {
        var (p, y) = Problem(120, 3);
        var g = new double[y.Length];
        TsneGradient.Compute(p, y, exaggeration, theta: 0, g);
        Assert.True(RelativeError(g, DenseGradient(p, y, exaggeration)) < 1e-10);
    }

    /// <summary>θ = 0.5 summarises far cells; van der Maaten (2014) reports gradient errors of a few per cent there.</summary>
    [Fact]
    public void BarnesHutStaysWithinAFewPercentOfTheExactGradient()
    {
        var (p, y) = Problem(400, 4);
        var exact = new double[y.Length];
        var approximate = new double[y.Length];
        var zExact = TsneGradient.Compute(p, y, 1, 0, exact);
        var zApproximate = TsneGradient.Compute(p, y, 1, 0.5, approximate);
        var error = RelativeError(approximate, exact);
        Assert.True(error is > 0 and < 0.05, $"relative gradient error {error:E2}");
        Assert.True(Math.Abs(zApproximate / zExact - 1) < 0.02, $"Z {zApproximate} vs {zExact}");
    }

    /// <summary>
    /// Grid interpolation against the exact sums, on a tight map (the start of a layout: boxes far narrower than the
    /// kernel's scale) and on spread maps where a box is almost a unit wide (below 1 %, and about 1 % on a 1 500-point
    /// map; Barnes-Hut's θ = 0.5 gives a few per cent).
    /// </summary>
    [Theory]
    [InlineData(0.001, 400, 1e-3)]
    [InlineData(10.0, 400, 0.01)]
    [InlineData(60.0, 1500, 0.03)]
    public void InterpolatedRepulsionMatchesTheExactGradient(double spread, int n, double tolerance)
    {
        var (p, _) = Problem(n, 7);
        var random = new Random(8);
        // Clustered points, as a map is: ten centres, Gaussian spread around each.
        var centres = Enumerable.Range(0, 20).Select(_ => (random.NextDouble() - 0.5) * spread).ToArray();
        var y = new double[2 * n];
        for (var i = 0; i < n; i++)
        {
            var c = i % 10;
            y[2 * i] = centres[2 * c] + Gaussian(random) * spread / 20;
            y[2 * i + 1] = centres[2 * c + 1] + Gaussian(random) * spread / 20;
        }
        var exact = new double[y.Length];
        var interpolated = new double[y.Length];
        var zExact = TsneGradient.Compute(p, y, 1, 0, exact);
        var repulsion = new InterpolatedRepulsion();
        var zInterpolated = TsneGradient.Compute(p, y, 1, 0, interpolated, repulsion);
        var error = RelativeError(interpolated, exact);
        Assert.True(error is > 0 && error < tolerance, $"relative gradient error {error:E2} (grid {repulsion.Side})");
        Assert.True(Math.Abs(zInterpolated / zExact - 1) < tolerance, $"Z {zInterpolated} vs {zExact}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void TheFourierTransformInvertsAndConvolves()
    {
        var fft = new Fft2D(16);
        var random = new Random(9);
        var re = Enumerable.Range(0, 256).Select(_ => random.NextDouble()).ToArray();
        var im = Enumerable.Range(0, 256).Select(_ => random.NextDouble()).ToArray();
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());
        fft.Forward(re, im);
        // The (0, 0) coefficient is the sum; the (0, 1) one is Σ x·e^{−2πi·col/16}.
        Assert.Equal(re0.Sum(), re[0], 9);
        var expected = Enumerable.Range(0, 256).Sum(c => re0[c] * Math.Cos(2 * Math.PI * (c % 16) / 16) + im0[c] * Math.Sin(2 * Math.PI * (c % 16) / 16));
        Assert.Equal(expected, re[1], 9);
        fft.Inverse(re, im);
        for (var c = 0; c < 256; c++)
        {
            Assert.Equal(re0[c], re[c], 9);
            Assert.Equal(im0[c], im[c], 9);
        }
    }

    [Fact]
    public void AffinitiesAreSymmetricSumToOneAndHitThePerplexity()
    {
        var (p, _) = Problem(200, 5);
        Assert.Equal(1.0, p.Values.Sum(), 9);
        var entries = new Dictionary<(int, int), double>();
        for (var i = 0; i < p.Points; i++)
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) entries[(i, p.Columns[e])] = p.Values[e];
        Assert.All(entries, kv => Assert.Equal(kv.Value, entries[(kv.Key.Item2, kv.Key.Item1)], 15));

        var row = InputAffinities.Calibrate([0.1f, 0.2f, 0.4f, 0.5f, 0.9f, 1.3f, 1.4f, 2.0f, 2.5f, 3.0f], perplexity: 4);
        var entropy = -row.Where(v => v > 0).Sum(v => v * Math.Log(v));
        Assert.Equal(4, Math.Exp(entropy), 3);
        Assert.Equal(1, row.Sum(), 12);
    }

    [Fact]
    public void NeighboursAreTheNearestByCosine()
    {
        var random = new Random(6);
        var x = Enumerable.Range(0, 150).Select(_ => Enumerable.Range(0, 12).Select(_ => random.NextSingle() - 0.5f).ToArray()).ToList();
        var (index, distance2) = NearestNeighbours.Find(x, 7);
        for (var i = 0; i < x.Count; i++)
        {
            var expected = Enumerable.Range(0, x.Count).Where(j => j != i).OrderByDescending(j => Cosine(x[i], x[j])).Take(7).ToArray();
            Assert.Equal(expected, index[i]);
            Assert.Equal(2 - 2 * Cosine(x[i], x[index[i][0]]), distance2[i][0], 4);
        }
    }

    private static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var c = 0; c < a.Length; c++) { ab += a[c] * b[c]; aa += a[c] * a[c]; bb += b[c] * b[c]; }
        return ab / Math.Sqrt(aa * bb);
    }
}
