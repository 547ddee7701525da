namespace ConvEmbed.Model.Mapping;

/// <summary>
/// t-SNE's input affinities P (van der Maaten 2014), sparse over the k = ⌊3·perplexity⌋ nearest neighbours:
/// <code>
/// p_j|i = exp(−β_i·d²_ij) / Σ_{l ∈ N_k(i)} exp(−β_i·d²_il)      β_i by bisection so that 2^H(p_·|i) = perplexity
/// P_ij  = (p_j|i + p_i|j) / 2N                                  symmetric, Σ P = 1
/// </code>
/// Stored as compressed rows (every row holds the union of its out- and in-neighbours).
/// </summary>
public sealed class InputAffinities
{
    private InputAffinities(int[] rowStart, int[] columns, double[] values)
    {
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    /// <summary>Row i's entries are at [RowStart[i], RowStart[i + 1]).</summary>
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }
    public int Points => RowStart.Length - 1;

    public static InputAffinities FromNeighbours(int[][] index, float[][] distance2, double perplexity)
    {
        var n = index.Length;
        var conditional = new double[n][];
        Parallel.For(0, n, i => conditional[i] = Calibrate(distance2[i], perplexity));

        // Both directions of every pair, then each row sorted by column and merged.
        var counts = new int[n + 1];
        for (var i = 0; i < n; i++)
            foreach (var j in index[i])
            {
                counts[i + 1]++;
                counts[j + 1]++;
            }
        for (var i = 0; i < n; i++) counts[i + 1] += counts[i];
        var fill = counts[..^1].ToArray();
        var cols = new int[counts[n]];
        var vals = new double[counts[n]];
        for (var i = 0; i < n; i++)
            for (var m = 0; m < index[i].Length; m++)
            {
                var (j, p) = (index[i][m], conditional[i][m]);
                cols[fill[i]] = j; vals[fill[i]++] = p;
                cols[fill[j]] = i; vals[fill[j]++] = p;
            }
        var rowStart = new int[n + 1];
        var merged = new int[n];
        Parallel.For(0, n, i =>
        {
            var (from, to) = (counts[i], counts[i + 1]);
            Array.Sort(cols, vals, from, to - from);
            var w = from;
            for (var r = from; r < to; r++)
            {
                if (r > from && cols[r] == cols[w - 1]) vals[w - 1] += vals[r];
                else { cols[w] = cols[r]; vals[w++] = vals[r]; }
            }
            merged[i] = w - from;
        });
        for (var i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + merged[i];
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        for (var i = 0; i < n; i++)
        {
            Array.Copy(cols, counts[i], columns, rowStart[i], merged[i]);
            for (var m = 0; m < merged[i]; m++) values[rowStart[i] + m] = vals[counts[i] + m] / (2.0 * n);
        }
        return new InputAffinities(rowStart, columns, values);
    }

    /// <summary>p_·|i for one row: bisection on β until the entropy is log(perplexity) (natural log, 1e-5 tolerance).</summary>
    public static double[] Calibrate(float[] distance2, double perplexity)
    {
        var k = distance2.Length;
        var p = new double[k];
        var target = Math.Log(Math.Min(perplexity, k));
        var min = distance2.Min(); // shifting d² leaves p unchanged and keeps exp() from underflowing
        double beta = 1, lo = 0, hi = double.PositiveInfinity;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            double sum = 0, weighted = 0;
            for (var m = 0; m < k; m++)
            {
                p[m] = Math.Exp(-beta * (distance2[m] - min));
                sum += p[m];
                weighted += p[m] * (distance2[m] - min);
            }
            var entropy = Math.Log(sum) + beta * weighted / sum;
            for (var m = 0; m < k; m++) p[m] /= sum;
            var error = entropy - target;
            if (Math.Abs(error) < 1e-5) break;
            if (error > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
            else { hi = beta; beta = (beta + lo) / 2; }
        }
        return p;
    }
}
