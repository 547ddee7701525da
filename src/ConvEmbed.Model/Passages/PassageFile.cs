using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvEmbed.Model.Passages;

/// <summary>A passage of a file, as <c>convembed embed --passages</c> writes it and <c>convembed passages</c> reads it.</summary>
public sealed record PassageRecord(string Path, int Index, double StartSeconds, double EndSeconds, float[] Embedding);

/// <summary>
/// Passage vectors in a file: .jsonl lines <c>{"path", "index", "start", "end", "embedding"}</c> (seconds). The plan is
/// read back from the file itself (length: the longest passage; hop: start ÷ index), so a search cuts its clip alike.
/// </summary>
public static class PassageFile
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Line(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("start")] double Start,
        [property: JsonPropertyName("end")] double End,
        [property: JsonPropertyName("embedding")] float[] Embedding);

    public static void Write(string path, IEnumerable<PassageRecord> passages)
    {
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"passages are written as .jsonl (was {path})");
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        foreach (var p in passages)
            writer.WriteLine(JsonSerializer.Serialize(new Line(p.Path, p.Index, Math.Round(p.StartSeconds, 3), Math.Round(p.EndSeconds, 3), p.Embedding), Options));
    }

    /// <summary>The passages of a file and the plan they were cut by; an <see cref="InvalidDataException"/> names the
    /// first line that is not a passage or does not fit the others.</summary>
    public static (IReadOnlyList<PassageRecord> Passages, PassagePlan Plan) Read(string path)
    {
        var passages = new List<PassageRecord>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            Line? line;
            try { line = JsonSerializer.Deserialize<Line>(text, Options); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{number}: not a passage line ({e.Message})"); }
            if (line is not { Path: not null, Embedding.Length: > 0 } || line.Index < 0 || line.End <= line.Start)
                throw new InvalidDataException($"{path}:{number}: a passage line needs path, index ≥ 0, start < end and an embedding");
            if (passages.Count > 0 && line.Embedding.Length != passages[0].Embedding.Length)
                throw new InvalidDataException($"{path}:{number}: {line.Embedding.Length}-d embedding, the first line's is {passages[0].Embedding.Length}-d");
            passages.Add(new PassageRecord(line.Path, line.Index, line.Start, line.End, line.Embedding));
        }
        if (passages.Count == 0) throw new InvalidDataException($"{path} holds no passages");
        var length = passages.Max(p => p.EndSeconds - p.StartSeconds);
        var hop = passages.Where(p => p.Index > 0).Select(p => p.StartSeconds / p.Index).DefaultIfEmpty(length / 2).First();
        if (passages.Any(p => Math.Abs(p.StartSeconds - p.Index * hop) > 0.011))
            throw new InvalidDataException($"{path}: passages do not start every {hop.ToString("0.###", CultureInfo.InvariantCulture)} s (written by another plan?)");
        return (passages, new PassagePlan(Math.Round(length, 3), Math.Round(hop, 3)));
    }
}
