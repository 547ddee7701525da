using System.Globalization;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Embeddings as CSV: a header <c>path,e0,e1,…</c>, then one line per track, the path then the values.
/// Reading accepts the file with or without the header (a first field "path" marks it).
/// </summary>
public static class CsvEmbeddingFile
{
    public static void Write(TextWriter writer, IReadOnlyList<TrackEmbedding> embeddings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        EmbeddingFile.CheckWritable(embeddings);
        var dimension = embeddings.Count == 0 ? 0 : embeddings[0].Embedding.Length;
        writer.WriteLine(CsvRecord.Format(Enumerable.Range(0, dimension).Select(k => $"e{k}").Prepend("path")));
        foreach (var e in embeddings)
            writer.WriteLine(CsvRecord.Format(e.Embedding.Select(v => v.ToString(CultureInfo.InvariantCulture)).Prepend(e.Path)));
    }

    public static List<TrackEmbedding> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new List<TrackEmbedding>();
        var lineNumber = 0;
        var dimension = -1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = CsvRecord.TryParse(line, out var error)
                         ?? throw EmbeddingFile.Malformed(source, lineNumber, error!);
            if (result.Count == 0 && dimension < 0 && fields[0].Trim().Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                dimension = fields.Count - 1; // header
                continue;
            }
            if (fields[0].Length == 0) throw EmbeddingFile.Malformed(source, lineNumber, "the path (first field) is empty");
            if (fields.Count < 2) throw EmbeddingFile.Malformed(source, lineNumber, "expected a path followed by the embedding values");
            var values = new float[fields.Count - 1];
            for (var k = 0; k < values.Length; k++)
            {
                if (!float.TryParse(fields[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]) ||
                    !float.IsFinite(values[k]))
                    throw EmbeddingFile.Malformed(source, lineNumber, $"value {k + 1} '{fields[k + 1]}' is not a finite number");
            }
            if (dimension >= 0 && values.Length != dimension)
                throw EmbeddingFile.Malformed(source, lineNumber, $"{values.Length} values, expected {dimension}");
            dimension = values.Length;
            result.Add(new TrackEmbedding(fields[0], values));
        }
        return result;
    }
}
