namespace ConvEmbed.Model.Mapping;

/// <summary>How well a map keeps labelled groups together: leave-one-out majority vote of each point's k nearest
/// points in the plane (Euclidean, as the eye sees it; ties go to the lower label).</summary>
public static class MapNeighbourhoods
{
    public static double KnnAccuracy(IReadOnlyList<MapPoint> points, IReadOnlyList<int> labels, int k)
    {
        if (points.Count != labels.Count) throw new ArgumentException($"{points.Count} points but {labels.Count} labels");
        if (points.Count < 2) throw new ArgumentException("leave-one-out kNN needs at least two points");
        k = Math.Min(k, points.Count - 1);
        var classes = labels.Max() + 1;
        var correct = 0;
        Parallel.For(0, points.Count, () => (Distances: new double[points.Count], Order: new int[points.Count], Votes: new int[classes], Hits: 0), (i, _, s) =>
        {
            for (var j = 0; j < points.Count; j++)
            {
                double dx = points[i].X - points[j].X, dy = points[i].Y - points[j].Y;
                s.Distances[j] = j == i ? double.PositiveInfinity : dx * dx + dy * dy;
                s.Order[j] = j;
            }
            Array.Sort(s.Distances, s.Order);
            Array.Clear(s.Votes);
            for (var m = 0; m < k; m++) s.Votes[labels[s.Order[m]]]++;
            var best = 0;
            for (var c = 1; c < classes; c++) if (s.Votes[c] > s.Votes[best]) best = c;
            if (best == labels[i]) s.Hits++;
            return s;
        }, s => Interlocked.Add(ref correct, s.Hits));
        return correct / (double)points.Count;
    }
}
