namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// String labels as class indices 0..C−1 in ordinal order of the names, as Python's
/// <c>sorted(set(labels)).index(label)</c>; the order decides kNN vote ties.
/// </summary>
public sealed class ClassIndex
{
    public ClassIndex(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < Names.Count; c++) index[Names[c]] = c;
        Indices = labels.Select(l => index[l]).ToArray();
    }

    /// <summary>Distinct label names; class c is Names[c].</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The class of each item, in input order.</summary>
    public int[] Indices { get; }
}
