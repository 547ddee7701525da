namespace ConvEmbed.Model.Mapping;

/// <summary>
/// Puts tracks that arrived after a layout onto the map at once, without moving anything already there: each new
/// track goes to the weighted mean position of its <c>k</c> most similar placed tracks (cosine, as search ranks them),
/// the closest weighing most (weights exp(<see cref="Sharpness"/>·(sim − best sim)), so a track between two regions
/// lands in the one it is nearer to rather than in the gap). <see cref="Place"/> is the rule, for neighbours found
/// anywhere (the service asks its vector index); <see cref="NearNeighbours"/> finds them exactly (one pass over the
/// placed vectors per new track, in parallel over the new ones).
/// </summary>
public static class MapPlacement
{
    /// <summary>How fast a neighbour's weight falls with its similarity below the best one's (e^−1 at 0.05 less).</summary>
    public const double Sharpness = 20;

    /// <summary>How many of the most similar placed tracks decide where a new one goes.</summary>
    public const int Neighbours = 5;

    public static MapPoint[] NearNeighbours(IReadOnlyList<float[]> placedVectors, IReadOnlyList<MapPoint> placedPoints,
        IReadOnlyList<float[]> newVectors, int k = Neighbours, CancellationToken ct = default)
    {
        if (placedVectors.Count != placedPoints.Count) throw new ArgumentException("every placed vector needs its point");
        if (placedVectors.Count == 0) throw new ArgumentException("there is no placed track to put new ones next to");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        var placedNorms = placedVectors.Select(Norm).ToArray();
        var result = new MapPoint[newVectors.Count];
        Parallel.For(0, newVectors.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var v = newVectors[i];
            var norm = Norm(v);
            var best = new List<(double Similarity, int Index)>(k + 1);
            for (var j = 0; j < placedVectors.Count; j++)
            {
                var similarity = Dot(v, placedVectors[j]) / (norm * placedNorms[j]);
                if (best.Count == k && similarity <= best[^1].Similarity) continue;
                var at = best.FindIndex(b => b.Similarity < similarity);
                best.Insert(at < 0 ? best.Count : at, (similarity, j));
                if (best.Count > k) best.RemoveAt(k);
            }
            result[i] = Place(best.Select(b => (b.Similarity, placedPoints[b.Index])).ToList());
        });
        return result;
    }

    /// <summary>Where a track goes, given its most similar placed tracks (any order) and their points.</summary>
    public static MapPoint Place(IReadOnlyList<(double Similarity, MapPoint Point)> neighbours)
    {
        if (neighbours.Count == 0) throw new ArgumentException("a track needs at least one placed neighbour");
        var best = neighbours.Max(n => n.Similarity);
        double x = 0, y = 0, total = 0;
        foreach (var (similarity, point) in neighbours)
        {
            var w = Math.Exp(Sharpness * (similarity - best));
            x += w * point.X;
            y += w * point.Y;
            total += w;
        }
        return new MapPoint((float)(x / total), (float)(y / total));
    }

    private static double Norm(float[] v) => Math.Max(Math.Sqrt(Dot(v, v)), 1e-12);

    private static double Dot(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors of {a.Length} and {b.Length} dimensions");
        return System.Numerics.Tensors.TensorPrimitives.Dot<float>(a, b);
    }
}
