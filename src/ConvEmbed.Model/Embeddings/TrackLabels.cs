namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// The label of each track path, for evaluation only: from a CSV of <c>path,label</c> lines (an optional
/// header <c>path,label</c>) or from the first folder level of each path (<c>rock/a.ogg</c> → <c>rock</c>),
/// the layout `convembed synth` and `convembed corpus` write. Paths match after '\' → '/' and without a leading "./".
/// </summary>
public sealed class TrackLabels
{
    private readonly Dictionary<string, string> _labels;

    private TrackLabels(Dictionary<string, string> labels) => _labels = labels;

    public int Count => _labels.Count;

    public static TrackLabels FromCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"labels file not found: {path}", path);
        using var reader = new StreamReader(path);
        return FromCsv(reader, path);
    }

    public static TrackLabels FromCsv(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = CsvRecord.TryParse(line, out var error) ?? throw EmbeddingFile.Malformed(source, lineNumber, error!);
            var isHeader = first && fields.Count == 2 && fields[0].Trim().Equals("path", StringComparison.OrdinalIgnoreCase)
                           && fields[1].Trim().Equals("label", StringComparison.OrdinalIgnoreCase);
            first = false;
            if (isHeader) continue;
            if (fields.Count != 2) throw EmbeddingFile.Malformed(source, lineNumber, $"expected 2 fields path,label, found {fields.Count}");
            var (track, label) = (Normalise(fields[0]), fields[1].Trim());
            if (track.Length == 0 || label.Length == 0) throw EmbeddingFile.Malformed(source, lineNumber, "empty path or label");
            if (labels.TryGetValue(track, out var earlier) && earlier != label)
                throw EmbeddingFile.Malformed(source, lineNumber, $"'{track}' is labelled both '{earlier}' and '{label}'");
            labels[track] = label;
        }
        if (labels.Count == 0) throw new InvalidDataException($"{source}: no labels in the file");
        return new TrackLabels(labels);
    }

    /// <summary>Labels from the first folder of each (relative) path; a path without a folder is an error.</summary>
    public static TrackLabels FromFolders(IEnumerable<string> trackPaths)
    {
        ArgumentNullException.ThrowIfNull(trackPaths);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var trackPath in trackPaths)
        {
            var track = Normalise(trackPath);
            var parts = track.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
                throw new ArgumentException($"'{trackPath}' has no folder to take a label from (expected <label>/<file>)");
            labels[track] = parts[0];
        }
        return new TrackLabels(labels);
    }

    public bool TryGetLabel(string trackPath, out string label) =>
        _labels.TryGetValue(Normalise(trackPath), out label!);

    /// <summary>The label of each embedding, in order; every track must have one.</summary>
    public IReadOnlyList<string> For(IReadOnlyList<TrackEmbedding> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var result = new string[embeddings.Count];
        var missing = new List<string>();
        for (var i = 0; i < result.Length; i++)
            if (TryGetLabel(embeddings[i].Path, out var label)) result[i] = label;
            else missing.Add(embeddings[i].Path);
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{missing.Count} of {embeddings.Count} tracks have no label, e.g. {string.Join(", ", missing.Take(3).Select(m => $"'{m}'"))}");
        return result;
    }

    private static string Normalise(string path)
    {
        var p = path.Trim().Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p;
    }
}
