namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Adjusted Rand index (Hubert &amp; Arabie 1985) of two labelings of the same items:
/// <code>
/// index    = Σ_ij C(n_ij, 2)
/// expected = Σ_i C(a_i, 2) · Σ_j C(b_j, 2) / C(N, 2)
/// maximum  = ½ [Σ_i C(a_i, 2) + Σ_j C(b_j, 2)]
/// ARI      = (index − expected) / (maximum − expected)
/// </code>
/// 1 for identical partitions (up to renaming), about 0 for independent ones, negative when worse than chance.
/// Like scikit-learn, a degenerate case whose denominator is 0 (both labelings put everything in one
/// cluster, or both put every item alone) counts as a perfect match and gives 1.
/// </summary>
public static class AdjustedRandIndex
{
    public static double Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) =>
        Compute(new ContingencyTable(truth, predicted));

    public static double Compute(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        double index = 0, sumRows = 0, sumColumns = 0;
        for (var i = 0; i < table.RowCount; i++)
        {
            sumRows += Pairs(table.RowSums[i]);
            for (var j = 0; j < table.ColumnCount; j++) index += Pairs(table[i, j]);
        }
        foreach (var b in table.ColumnSums) sumColumns += Pairs(b);

        var allPairs = Pairs(table.Total);
        if (allPairs == 0) return 1.0; // fewer than two items: nothing to disagree on
        var expected = sumRows * sumColumns / allPairs;
        var maximum = 0.5 * (sumRows + sumColumns);
        var denominator = maximum - expected;
        return denominator == 0 ? 1.0 : (index - expected) / denominator;
    }

    private static double Pairs(long n) => n * (n - 1) / 2.0;
}
