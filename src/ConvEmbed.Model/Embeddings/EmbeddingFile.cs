namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Reads and writes embedding files, the format chosen by extension: <c>.jsonl</c>
/// (<see cref="JsonlEmbeddingFile"/>) or <c>.csv</c> (<see cref="CsvEmbeddingFile"/>).
/// A malformed file raises <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class EmbeddingFile
{
    public static IReadOnlyList<TrackEmbedding> Read(string path)
    {
        var format = FormatOf(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"embedding file not found: {path}", path);
        using var reader = new StreamReader(path);
        var embeddings = format == ".csv" ? CsvEmbeddingFile.Read(reader, path) : JsonlEmbeddingFile.Read(reader, path);
        if (embeddings.Count == 0) throw new InvalidDataException($"{path}: no embeddings in the file");
        return embeddings;
    }

    public static void Write(string path, IReadOnlyList<TrackEmbedding> embeddings)
    {
        var format = FormatOf(path);
        CheckWritable(embeddings);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        if (format == ".csv") CsvEmbeddingFile.Write(writer, embeddings);
        else JsonlEmbeddingFile.Write(writer, embeddings);
    }

    /// <summary>".jsonl" or ".csv"; anything else is an error saying what is supported.</summary>
    public static string FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".jsonl" or ".csv"
            ? extension
            : throw new ArgumentException($"unsupported embedding file '{path}': use a .jsonl or .csv file");
    }

    internal static InvalidDataException Malformed(string source, int line, string reason) =>
        new($"{source}:{line}: {reason}");

    // Writing must produce a file that reading accepts: same dimension everywhere, finite values, a path each.
    internal static void CheckWritable(IReadOnlyList<TrackEmbedding> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        for (var i = 0; i < embeddings.Count; i++)
        {
            var e = embeddings[i];
            if (string.IsNullOrEmpty(e.Path)) throw new ArgumentException($"embedding {i} has no path");
            if (e.Path.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException($"path of embedding {i} contains a line break");
            if (e.Embedding is not { Length: > 0 }) throw new ArgumentException($"embedding {i} ({e.Path}) is empty");
            if (e.Embedding.Length != embeddings[0].Embedding.Length)
                throw new ArgumentException($"embedding {i} ({e.Path}) has {e.Embedding.Length} values, the first has {embeddings[0].Embedding.Length}");
            if (!e.Embedding.All(float.IsFinite)) throw new ArgumentException($"embedding {i} ({e.Path}) has a non-finite value");
        }
    }
}
