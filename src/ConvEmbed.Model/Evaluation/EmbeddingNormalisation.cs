using System.Numerics.Tensors;

namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// ℓ2 normalisation x / max(‖x‖, 1e-12), as torch.nn.functional.normalize: a zero vector stays zero
/// (cosine 0 to everything) instead of becoming NaN.
/// </summary>
public static class EmbeddingNormalisation
{
    private const float Epsilon = 1e-12f;

    public static float[][] Normalise(IReadOnlyList<float[]> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var result = new float[embeddings.Count][];
        for (var i = 0; i < result.Length; i++) result[i] = Normalise(embeddings[i]);
        return result;
    }

    /// <summary>One vector, normalised into a new array.</summary>
    public static float[] Normalise(ReadOnlySpan<float> x)
    {
        var result = new float[x.Length];
        TensorPrimitives.Divide(x, Math.Max(TensorPrimitives.Norm(x), Epsilon), result);
        return result;
    }

    /// <summary>Mean over dimensions of the (population) standard deviation over items; near 0 means collapse.</summary>
    public static double MeanDimensionStd(IReadOnlyList<float[]> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count == 0) return 0;
        var d = embeddings[0].Length;
        double sum = 0;
        for (var k = 0; k < d; k++)
        {
            double mean = 0, squares = 0;
            foreach (var e in embeddings) mean += e[k];
            mean /= embeddings.Count;
            foreach (var e in embeddings) squares += (e[k] - mean) * (e[k] - mean);
            sum += Math.Sqrt(squares / embeddings.Count);
        }
        return d == 0 ? 0 : sum / d;
    }
}
