namespace ConvEmbed.Model.Mapping;

/// <summary>
/// The gradient of t-SNE's KL(P ‖ Q) (van der Maaten &amp; Hinton 2008; Barnes-Hut form, van der Maaten 2014):
/// <code>
/// q_ij = w_ij / Z,   w_ij = 1 / (1 + ‖y_i − y_j‖²),   Z = Σ_{k≠l} w_kl
/// ∂C/∂y_i = 4 · ( α·Σ_j P_ij·w_ij·(y_i − y_j)  −  Σ_j w_ij²·(y_i − y_j) / Z )      α = early exaggeration
/// </code>
/// The attractive sum runs over P's sparse entries; the repulsive one over all pairs, through the quadtree or, when
/// an <see cref="InterpolatedRepulsion"/> is given, by interpolation on a grid and FFT.
/// </summary>
public static class TsneGradient
{
    /// <summary>Writes ∂C/∂y (interleaved x, y) into <paramref name="gradient"/>; returns Z.</summary>
    public static double Compute(InputAffinities p, double[] y, double exaggeration, double theta, double[] gradient,
        InterpolatedRepulsion? interpolation = null)
    {
        var n = p.Points;
        var repulsion = new double[2 * n];
        double zSum;
        if (interpolation is not null) zSum = interpolation.Compute(y, repulsion);
        else
        {
            var tree = theta > 0 ? new QuadTree(y) : null;
            var zParts = new double[n];
            Parallel.For(0, n, i =>
            {
                var (fx, fy, z) = tree?.Repulsion(i, theta) ?? ExactRepulsion(y, i);
                repulsion[2 * i] = fx;
                repulsion[2 * i + 1] = fy;
                zParts[i] = z;
            });
            zSum = zParts.Sum();
        }
        Parallel.For(0, n, i =>
        {
            double ax = 0, ay = 0, xi = y[2 * i], yi = y[2 * i + 1];
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                var j = p.Columns[e];
                double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
                var w = p.Values[e] / (1 + dx * dx + dy * dy);
                ax += w * dx;
                ay += w * dy;
            }
            gradient[2 * i] = 4 * (exaggeration * ax - repulsion[2 * i] / zSum);
            gradient[2 * i + 1] = 4 * (exaggeration * ay - repulsion[2 * i + 1] / zSum);
        });
        return zSum;
    }

    /// <summary>The repulsion on point i from every other point, one pair at a time (θ = 0).</summary>
    private static (double Fx, double Fy, double Z) ExactRepulsion(double[] y, int i)
    {
        double fx = 0, fy = 0, z = 0, xi = y[2 * i], yi = y[2 * i + 1];
        for (var j = 0; j < y.Length / 2; j++)
        {
            if (j == i) continue;
            double dx = xi - y[2 * j], dy = yi - y[2 * j + 1], q = 1 / (1 + dx * dx + dy * dy);
            z += q;
            fx += q * q * dx;
            fy += q * q * dy;
        }
        return (fx, fy, z);
    }

    /// <summary>KL(P ‖ Q) over P's entries, with Z from the last gradient (exact when θ = 0).</summary>
    public static double KullbackLeibler(InputAffinities p, double[] y, double z)
    {
        double kl = 0;
        for (var i = 0; i < p.Points; i++)
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                var j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                var q = 1 / (1 + dx * dx + dy * dy) / z;
                if (p.Values[e] > 0) kl += p.Values[e] * Math.Log(p.Values[e] / Math.Max(q, double.Epsilon));
            }
        return kl;
    }
}
