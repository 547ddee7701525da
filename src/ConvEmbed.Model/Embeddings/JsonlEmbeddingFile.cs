using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Embeddings as JSON lines: one <c>{"path": "…", "embedding": [ … ]}</c> per line. Reading ignores
/// other properties, so lines may carry more (e.g. a segment's start time).
/// </summary>
public static class JsonlEmbeddingFile
{
    private sealed record Line(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("embedding")] float[] Embedding);

    // Paths stay readable (é, quotes) instead of \u escapes; the file is never embedded in HTML.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter writer, IReadOnlyList<TrackEmbedding> embeddings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        EmbeddingFile.CheckWritable(embeddings);
        foreach (var e in embeddings) writer.WriteLine(JsonSerializer.Serialize(new Line(e.Path, e.Embedding), Options));
    }

    public static List<TrackEmbedding> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new List<TrackEmbedding>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var embedding = Parse(line, source, lineNumber);
            if (result.Count > 0 && embedding.Embedding.Length != result[0].Embedding.Length)
                throw EmbeddingFile.Malformed(source, lineNumber,
                    $"{embedding.Embedding.Length} values, expected {result[0].Embedding.Length} like the first line");
            result.Add(embedding);
        }
        return result;
    }

    private static TrackEmbedding Parse(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(line); }
        catch (JsonException e) { throw EmbeddingFile.Malformed(source, lineNumber, $"not valid JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw EmbeddingFile.Malformed(source, lineNumber, "expected an object {\"path\": …, \"embedding\": […]}");
            if (!root.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String || path.GetString() is not { Length: > 0 } p)
                throw EmbeddingFile.Malformed(source, lineNumber, "missing or empty string \"path\"");
            if (!root.TryGetProperty("embedding", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
                throw EmbeddingFile.Malformed(source, lineNumber, "missing or empty array \"embedding\"");
            var values = new float[array.GetArrayLength()];
            var k = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Number || !float.IsFinite(values[k] = (float)element.GetDouble()))
                    throw EmbeddingFile.Malformed(source, lineNumber, $"embedding value {k + 1} is not a finite number");
                k++;
            }
            return new TrackEmbedding(p, values);
        }
    }
}
