using System.Numerics.Tensors;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Hubness correction of cosine neighbours (docs/method.md#hubness): in high dimensions a few "hub" tracks are near
/// everything and crowd every neighbour list. Each track gets r(x), its mean cosine to its <see cref="Neighbours"/>
/// nearest other tracks, and neighbours are ranked by the half CSLS score
/// <code>s'(a, b) = cos(a, b) − (r(a) + r(b)) / 2</code>
/// (Conneau et al., 2018, "Word translation without parallel data", which ranks by 2·cos − r(a) − r(b); halved it
/// keeps a cosine's scale, so kNN vote temperatures mean the same). For one query r(a) is a constant: only r(b),
/// the candidate's hubness, changes the order.
/// </summary>
public static class HubnessCorrection
{
    public const int Neighbours = 10;

    /// <summary>r(x) of every vector: the mean cosine to its <paramref name="k"/> nearest others (vectors ℓ2-normalised).</summary>
    public static float[] NeighbourhoodSimilarity(IReadOnlyList<float[]> normalised, int k = Neighbours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (normalised.Count < 2) throw new ArgumentException("hubness needs at least two vectors");
        k = Math.Min(k, normalised.Count - 1);
        var r = new float[normalised.Count];
        Parallel.For(0, normalised.Count, i =>
        {
            var similarities = new float[normalised.Count - 1];
            for (int j = 0, n = 0; j < normalised.Count; j++)
                if (j != i) similarities[n++] = TensorPrimitives.Dot<float>(normalised[i], normalised[j]);
            Array.Sort(similarities);
            r[i] = TensorPrimitives.Sum<float>(similarities.AsSpan(similarities.Length - k)) / k;
        });
        return r;
    }

    /// <summary>The corrected score of two tracks from their cosine and their r.</summary>
    public static float Corrected(float cosine, float ra, float rb) => cosine - (ra + rb) / 2;
}
