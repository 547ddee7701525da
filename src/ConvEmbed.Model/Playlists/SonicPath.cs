namespace ConvEmbed.Model.Playlists;

/// <summary>
/// The way points of a "sonic path" from one track to another: <c>count − 2</c> points evenly spaced on the straight line
/// between their vectors, each ℓ2-normalised (the nearest unused track to each point is played there).
/// </summary>
public static class SonicPath
{
    public static IReadOnlyList<float[]> WayPoints(float[] from, float[] to, int count)
    {
        var points = new List<float[]>(Math.Max(0, count - 2));
        for (var i = 1; i < count - 1; i++)
        {
            var t = (double)i / (count - 1);
            var point = new float[from.Length];
            double norm = 0;
            for (var d = 0; d < point.Length; d++)
            {
                point[d] = (float)((1 - t) * from[d] + t * to[d]);
                norm += (double)point[d] * point[d];
            }
            norm = Math.Sqrt(norm);
            if (norm > 0) for (var d = 0; d < point.Length; d++) point[d] = (float)(point[d] / norm);
            points.Add(point);
        }
        return points;
    }
}
