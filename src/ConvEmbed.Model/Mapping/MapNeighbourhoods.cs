namespace ConvEmbed.Model.Mapping;

/// <summary>How well a map keeps labelled groups together: leave-one-out majority vote of each point's k nearest
/// points in the plane (Euclidean, as the eye sees it; ties go to the lower label). O(N²) distances, O(N·k) memory:
/// each point keeps only its k nearest, so 100 000 points take seconds, not a sort of every row.</summary>
public static class MapNeighbourhoods
{
    public static double KnnAccuracy(IReadOnlyList<MapPoint> points, IReadOnlyList<int> labels, int k)
    {
        if (points.Count != labels.Count) throw new ArgumentException($"{points.Count} points but {labels.Count} labels");
        if (points.Count < 2) throw new ArgumentException("leave-one-out kNN needs at least two points");
        k = Math.Min(k, points.Count - 1);
        var classes = labels.Max() + 1;
        var correct = 0;
        Parallel.For(0, points.Count, () => (Distances: new double[k], Nearest: new int[k], Votes: new int[classes], Hits: 0), (i, _, s) =>
        {
            var count = 0;
            for (var j = 0; j < points.Count; j++)
            {
                if (j == i) continue;
                double dx = points[i].X - points[j].X, dy = points[i].Y - points[j].Y, d = dx * dx + dy * dy;
                if (count == k && d >= s.Distances[k - 1]) continue;
                // Insertion into the sorted k nearest so far (equal distances keep the lower index first).
                var at = count < k ? count++ : k - 1;
                while (at > 0 && s.Distances[at - 1] > d)
                {
                    s.Distances[at] = s.Distances[at - 1];
                    s.Nearest[at] = s.Nearest[at - 1];
                    at--;
                }
                s.Distances[at] = d;
                s.Nearest[at] = j;
            }
            if (Majority(s.Votes, s.Nearest.AsSpan(0, k), labels) == labels[i]) s.Hits++;
            return s;
        }, s => Interlocked.Add(ref correct, s.Hits));
        return correct / (double)points.Count;
    }

    /// <summary>The same vote over neighbours found elsewhere (e.g. <see cref="NearestNeighbours"/> in the full space), so
    /// the map and the space it came from are scored by one rule.</summary>
    public static double KnnAccuracy(int[][] nearest, IReadOnlyList<int> labels)
    {
        if (nearest.Length != labels.Count) throw new ArgumentException($"{nearest.Length} neighbour lists but {labels.Count} labels");
        var classes = labels.Max() + 1;
        var correct = 0;
        Parallel.For(0, nearest.Length, () => (Votes: new int[classes], Hits: 0), (i, _, s) =>
        {
            if (Majority(s.Votes, nearest[i], labels) == labels[i]) s.Hits++;
            return s;
        }, s => Interlocked.Add(ref correct, s.Hits));
        return correct / (double)nearest.Length;
    }

    /// <summary>The label most of <paramref name="nearest"/> have (ties: the lower label).</summary>
    private static int Majority(int[] votes, ReadOnlySpan<int> nearest, IReadOnlyList<int> labels)
    {
        Array.Clear(votes);
        foreach (var j in nearest) votes[labels[j]]++;
        var best = 0;
        for (var c = 1; c < votes.Length; c++) if (votes[c] > votes[best]) best = c;
        return best;
    }
}
