using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class VicRegObjectiveTests
{
    [Fact]
    public void LossEqualsTheFormulaComputedIndependently()
    {
        const int b = 4, d = 3, t = 2;
        var z = Values(b * d * t, 3);
        var g = Values(b * d, 4);
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();

        var loss = VicRegObjective.Compute(T(z, b, d, t), T(g, b, d)).item();

        double Z(int i, int k, int p) => z[(i * d + k) * t + p];
        double G(int i, int k) => g[i * d + k];
        var mse = 0.0;
        for (var i = 0; i < b; i++) for (var k = 0; k < d; k++) for (var p = 0; p < t; p++) mse += Math.Pow(Z(i, k, p) - G(i, k), 2);
        mse /= b * d * t;
        // Rows of G: (b), columns d. Rows of Z for the covariance: (b, t) pairs.
        var gRows = Enumerable.Range(0, b).Select(i => Enumerable.Range(0, d).Select(k => G(i, k)).ToArray()).ToArray();
        var zRows = Enumerable.Range(0, b).SelectMany(i => Enumerable.Range(0, t).Select(p => Enumerable.Range(0, d).Select(k => Z(i, k, p)).ToArray())).ToArray();
        var variance = Hinge(gRows, b, Enumerable.Range(0, d).Select(k => new[] { k }))
                     + Hinge(zRows, b, Enumerable.Range(0, d).SelectMany(k => Enumerable.Range(0, t).Select(p => new[] { k, p })), t);
        var expected = 25 * mse + 25 * variance + OffDiagonal(Centre(gRows, b, 1)) + OffDiagonal(Centre(zRows, b, t));
        Assert.Equal(expected, loss, 4);
    }

    // Variance hinge over the batch dimension: for Z, per (dimension, position) pair; rows of Z are ordered (b, t).
    private static double Hinge(double[][] rows, int b, IEnumerable<int[]> cells, int t = 1)
    {
        var terms = new List<double>();
        foreach (var cell in cells)
        {
            var k = cell[0];
            var p = cell.Length > 1 ? cell[1] : 0;
            var xs = Enumerable.Range(0, b).Select(i => rows[i * t + p][k]).ToArray();
            var mean = xs.Average();
            var var = xs.Sum(x => (x - mean) * (x - mean)) / (b - 1);
            terms.Add(Math.Max(0, 1 - Math.Sqrt(var + 1e-4)));
        }
        return terms.Average();
    }

    // Centres each (position) over the batch, as z − z.mean(0) does before flattening positions into rows.
    private static double[][] Centre(double[][] rows, int b, int t)
    {
        var d = rows[0].Length;
        var result = rows.Select(r => (double[])r.Clone()).ToArray();
        for (var p = 0; p < t; p++)
            for (var k = 0; k < d; k++)
            {
                var mean = Enumerable.Range(0, b).Average(i => rows[i * t + p][k]);
                for (var i = 0; i < b; i++) result[i * t + p][k] -= mean;
            }
        return result;
    }

    private static double OffDiagonal(double[][] x)
    {
        int n = x.Length, d = x[0].Length;
        var sum = 0.0;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                if (i == j) continue;
                var c = x.Sum(r => r[i] * r[j]) / (n - 1);
                sum += c * c;
            }
        return sum / d;
    }
}
