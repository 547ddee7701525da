using System.Text;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// One line of comma-separated values (RFC 4180 without line breaks inside fields): a field with a comma,
/// a quote or surrounding spaces is quoted, with quotes doubled — paths may contain any of them.
/// </summary>
internal static class CsvRecord
{
    public static string Format(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field != field.Trim()
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;

    /// <summary>Splits a line into fields; null with a reason when quoting is malformed.</summary>
    public static List<string>? TryParse(string line, out string? error)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        error = null;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) { error = "a quoted field is not closed"; return null; }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',') { error = "text after a closing quote"; return null; }
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                field.Append(line, i, end - i);
                i = end;
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields;
            i++; // the comma
        }
    }
}
