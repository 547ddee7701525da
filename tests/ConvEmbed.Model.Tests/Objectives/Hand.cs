using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Objectives;

/// <summary>Hand-made inputs for loss tests: seeded values as managed arrays and the same values as tensors.</summary>
internal static class Hand
{
    public static float[] Values(int n, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    public static Tensor T(float[] values, params long[] shape) => Torch.Torch.tensor(values, shape);

    public static double[] Normalise(double[] v)
    {
        var n = Math.Max(Math.Sqrt(v.Sum(x => x * x)), 1e-12);
        return v.Select(x => x / n).ToArray();
    }

    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    public static double[] LogSoftmax(double[] v)
    {
        var max = v.Max();
        var lse = max + Math.Log(v.Sum(x => Math.Exp(x - max)));
        return v.Select(x => x - lse).ToArray();
    }
}
