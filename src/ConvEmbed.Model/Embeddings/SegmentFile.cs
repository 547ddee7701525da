using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Per-window embeddings (<c>convembed embed --segments</c>): .jsonl lines <c>{"path", "start", "embedding"}</c>
/// with the start in seconds, or .csv with a <c>path,start,e0,…</c> header.
/// </summary>
public static class SegmentFile
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Line(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("start")] double Start,
        [property: JsonPropertyName("embedding")] float[] Embedding);

    public static void Write(string path, IReadOnlyList<SegmentEmbedding> segments)
    {
        var format = EmbeddingFile.FormatOf(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        if (format == ".jsonl")
        {
            foreach (var s in segments) writer.WriteLine(JsonSerializer.Serialize(new Line(s.Path, Math.Round(s.StartSeconds, 3), s.Embedding), Options));
            return;
        }
        var dimension = segments.Count == 0 ? 0 : segments[0].Embedding.Length;
        writer.WriteLine(CsvRecord.Format(Enumerable.Range(0, dimension).Select(k => $"e{k}").Prepend("start").Prepend("path")));
        foreach (var s in segments)
            writer.WriteLine(CsvRecord.Format(s.Embedding.Select(v => v.ToString(CultureInfo.InvariantCulture))
                .Prepend(s.StartSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Prepend(s.Path)));
    }
}
