namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Counts n_ij of items with true class i and cluster j, with row sums a_i and column sums b_j;
/// the common input of <see cref="AdjustedRandIndex"/> and <see cref="AdjustedMutualInformation"/>.
/// Label values are arbitrary integers; rows and columns follow their ascending order.
/// </summary>
public sealed class ContingencyTable
{
    private readonly long[,] _counts;

    public ContingencyTable(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"labelings differ in length: {truth.Count} true labels, {predicted.Count} predicted");

        var rows = Dense(truth);
        var columns = Dense(predicted);
        RowCount = rows.Count;
        ColumnCount = columns.Count;
        Total = truth.Count;
        _counts = new long[RowCount, ColumnCount];
        RowSums = new long[RowCount];
        ColumnSums = new long[ColumnCount];
        for (var n = 0; n < truth.Count; n++)
        {
            int i = rows[truth[n]], j = columns[predicted[n]];
            _counts[i, j]++;
            RowSums[i]++;
            ColumnSums[j]++;
        }
    }

    public int RowCount { get; }
    public int ColumnCount { get; }
    public long Total { get; }
    public long[] RowSums { get; }
    public long[] ColumnSums { get; }
    public long this[int row, int column] => _counts[row, column];

    private static Dictionary<int, int> Dense(IReadOnlyList<int> labels)
    {
        var distinct = labels.Distinct().Order().ToArray();
        var map = new Dictionary<int, int>(distinct.Length);
        for (var k = 0; k < distinct.Length; k++) map[distinct[k]] = k;
        return map;
    }
}
