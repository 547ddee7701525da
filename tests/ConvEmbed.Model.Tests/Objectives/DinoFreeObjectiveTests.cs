using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class DinoFreeObjectiveTests
{
    [Fact]
    public void LossIsCrossEntropyToSinkhornTargetsPlusKoLeo()
    {
        const int b = 3, k = 4, t = 2, c = 5;
        var z = Values(b * k * t, 10);
        var g = Values(b * k, 11, scale: 0.2);
        var features = Values(b * c, 12);
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();

        var value = DinoFreeObjective.Compute(T(z, b, k, t), T(g, b, k), T(features, b, c)).item();

        // Everything computed here in plain doubles, independent of the code under test: Sinkhorn–Knopp targets of the
        // global view (temperature 0.05, 3 iterations), the cross-entropy of the local views against them
        // (temperature 0.1), and the KoLeo term (weight 0.1).
        var q = SinkhornTargets(g.Select(x => x / 0.05).ToArray(), b, k, iterations: 3);
        var ce = 0.0;
        for (var i = 0; i < b; i++)
            for (var p = 0; p < t; p++)
            {
                var logProbs = LogSoftmax(Enumerable.Range(0, k).Select(j => z[(i * k + j) * t + p] / 0.1).ToArray());
                ce -= Enumerable.Range(0, k).Sum(j => q[i, j] * logProbs[j]);
            }
        var expected = ce / (b * t) + 0.1 * KoLeoLoss(features, b, c);
        Assert.Equal(expected, value, 4);
    }

    /// <summary>Alternate row/column normalisation of exp(logits) (K prototypes × B samples), as SwAV; rows of the result sum to 1.</summary>
    private static double[,] SinkhornTargets(double[] logits, int b, int k, int iterations)
    {
        var max = logits.Max();
        var q = new double[k, b];
        for (var i = 0; i < b; i++)
            for (var j = 0; j < k; j++) q[j, i] = Math.Exp(logits[i * k + j] - max);
        Scale(q, 1 / Sum(q, (_, _) => true));
        for (var it = 0; it < iterations; it++)
        {
            for (var j = 0; j < k; j++) { var r = Sum(q, (jj, _) => jj == j); for (var i = 0; i < b; i++) q[j, i] /= r * k; }
            for (var i = 0; i < b; i++) { var col = Sum(q, (_, ii) => ii == i); for (var j = 0; j < k; j++) q[j, i] /= col * b; }
        }
        var result = new double[b, k];
        for (var i = 0; i < b; i++)
            for (var j = 0; j < k; j++) result[i, j] = q[j, i] * b;
        return result;
    }

    private static double Sum(double[,] m, Func<int, int, bool> where)
    {
        var s = 0.0;
        for (var j = 0; j < m.GetLength(0); j++)
            for (var i = 0; i < m.GetLength(1); i++) if (where(j, i)) s += m[j, i];
        return s;
    }

    private static void Scale(double[,] m, double f)
    {
        for (var j = 0; j < m.GetLength(0); j++)
            for (var i = 0; i < m.GetLength(1); i++) m[j, i] *= f;
    }

    /// <summary>−mean over samples of log(distance to the nearest other sample), on ℓ2-normalised rows.</summary>
    private static double KoLeoLoss(float[] x, int n, int dims)
    {
        var rows = Enumerable.Range(0, n).Select(i => Normalise(Enumerable.Range(0, dims).Select(d => (double)x[i * dims + d]).ToArray())).ToArray();
        return -Enumerable.Range(0, n).Average(i => Math.Log(Enumerable.Range(0, n).Where(j => j != i)
            .Min(j => Math.Sqrt(rows[i].Zip(rows[j], (u, v) => (u - v) * (u - v)).Sum())) + 1e-8));
    }
}
