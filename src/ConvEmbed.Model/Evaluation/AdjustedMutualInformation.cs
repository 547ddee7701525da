namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Adjusted mutual information (Vinh, Epps &amp; Bailey 2010) with arithmetic-mean normalisation,
/// scikit-learn's default:
/// <code>
/// MI  = Σ_ij (n_ij/N) ln(N n_ij / (a_i b_j))
/// H(U) = −Σ_i (a_i/N) ln(a_i/N),   H(V) = −Σ_j (b_j/N) ln(b_j/N)
/// EMI = Σ_ij Σ_{n=max(1, a_i+b_j−N)}^{min(a_i, b_j)} (n/N) ln(N n / (a_i b_j))
///         · a_i! b_j! (N−a_i)! (N−b_j)! / (N! n! (a_i−n)! (b_j−n)! (N−a_i−b_j+n)!)
/// AMI = (MI − EMI) / (½ [H(U) + H(V)] − EMI)
/// </code>
/// EMI is the exact expectation of MI under the hypergeometric (random permutation) model,
/// computed with log-factorials. As in scikit-learn: two one-cluster labelings give 1, and a
/// denominator that rounding made zero keeps its sign at machine epsilon.
/// </summary>
public static class AdjustedMutualInformation
{
    private const double MachineEpsilon = 2.220446049250313e-16; // 2^-52, the spacing of doubles at 1

    public static double Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) =>
        Compute(new ContingencyTable(truth, predicted));

    public static double Compute(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.RowCount == table.ColumnCount && table.RowCount <= 1) return 1.0;

        var mi = MutualInformation(table);
        var emi = ExpectedMutualInformation(table);
        var normaliser = 0.5 * (Entropy(table.RowSums, table.Total) + Entropy(table.ColumnSums, table.Total));
        var denominator = normaliser - emi;
        denominator = denominator < 0
            ? Math.Min(denominator, -MachineEpsilon)
            : Math.Max(denominator, MachineEpsilon);
        return (mi - emi) / denominator;
    }

    public static double MutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        double n = table.Total, mi = 0;
        for (var i = 0; i < table.RowCount; i++)
        for (var j = 0; j < table.ColumnCount; j++)
        {
            var nij = table[i, j];
            if (nij == 0) continue;
            mi += nij / n * Math.Log(n * nij / ((double)table.RowSums[i] * table.ColumnSums[j]));
        }
        return Math.Max(mi, 0.0);
    }

    public static double Entropy(IReadOnlyList<long> counts, long total)
    {
        ArgumentNullException.ThrowIfNull(counts);
        double h = 0;
        foreach (var c in counts)
        {
            if (c == 0) continue;
            var p = (double)c / total;
            h -= p * Math.Log(p);
        }
        return h;
    }

    public static double ExpectedMutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var total = table.Total;
        var logFactorial = LogFactorials(total);
        double n = total, emi = 0;
        foreach (var a in table.RowSums)
        foreach (var b in table.ColumnSums)
        {
            // The hypergeometric weight's n-independent part: a! b! (N−a)! (N−b)! / N!
            var logFixed = logFactorial[a] + logFactorial[b] + logFactorial[total - a] + logFactorial[total - b]
                           - logFactorial[total];
            for (var nij = Math.Max(1, a + b - total); nij <= Math.Min(a, b); nij++)
            {
                var logProbability = logFixed - logFactorial[nij] - logFactorial[a - nij] - logFactorial[b - nij]
                                     - logFactorial[total - a - b + nij];
                emi += nij / n * Math.Log(n * nij / ((double)a * b)) * Math.Exp(logProbability);
            }
        }
        return emi;
    }

    // ln k! for k = 0..n by cumulative sums: exact to rounding, and no Gamma function needed.
    private static double[] LogFactorials(long n)
    {
        var table = new double[n + 1];
        for (var k = 2; k <= n; k++) table[k] = table[k - 1] + Math.Log(k);
        return table;
    }
}
