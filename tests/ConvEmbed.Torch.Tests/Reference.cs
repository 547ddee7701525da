namespace ConvEmbed.Torch.Tests;

/// <summary>Straightforward managed implementations the libtorch results are checked against.</summary>
internal static class Reference
{
    public static double[] Random(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * scale).ToArray();
    }

    public static float[] RandomF(int n, int seed) => Random(n, seed).Select(v => (float)v).ToArray();

    /// <summary>x (N,Cin,L), w (Cout,Cin/g,K) → (N,Cout,Lout).</summary>
    public static double[] Conv1d(double[] x, int n, int cin, int l, double[] w, int cout, int k, double[]? b,
        int stride, int pad, int dil, int groups, out int lout)
    {
        lout = (l + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        var y = new double[n * cout * lout];
        int cinG = cin / groups, coutG = cout / groups;
        for (var bi = 0; bi < n; bi++)
            for (var co = 0; co < cout; co++)
                for (var t = 0; t < lout; t++)
                {
                    var s = b?[co] ?? 0;
                    var g = co / coutG;
                    for (var ci = 0; ci < cinG; ci++)
                        for (var kk = 0; kk < k; kk++)
                        {
                            var pos = t * stride - pad + kk * dil;
                            if (pos < 0 || pos >= l) continue;
                            s += w[(co * cinG + ci) * k + kk] * x[(bi * cin + g * cinG + ci) * l + pos];
                        }
                    y[(bi * cout + co) * lout + t] = s;
                }
        return y;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    // Abramowitz–Stegun 7.1.26 is too coarse for 1e-6 checks; use a series/continued-fraction-free high-precision form.
    public static double Erf(double x)
    {
        // erf via the Taylor series (|x| small in tests) — converges quickly for |x| < 3.
        double sum = 0, term = x, x2 = x * x;
        for (var k = 0; k < 200; k++)
        {
            sum += term / (2 * k + 1);
            term *= -x2 / (k + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>Softmax of each row of a (rows × cols) matrix.</summary>
    public static double[] Softmax(double[] x, int rows, int cols)
    {
        var y = new double[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var m = double.NegativeInfinity;
            for (var c = 0; c < cols; c++) m = Math.Max(m, x[r * cols + c]);
            double z = 0;
            for (var c = 0; c < cols; c++) z += Math.Exp(x[r * cols + c] - m);
            for (var c = 0; c < cols; c++) y[r * cols + c] = Math.Exp(x[r * cols + c] - m) / z;
        }
        return y;
    }

    public static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static void AssertClose(double[] expected, float[] actual, double tol) =>
        AssertClose(expected, actual.Select(v => (double)v).ToArray(), tol);
}
