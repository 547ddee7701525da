using System.Text.RegularExpressions;

namespace ConvEmbed.Cli.Corpus;

/// <summary>
/// A Debian copyright file (machine-readable DEP-5, or free text) reduced to what the corpus manifest needs: the
/// licence that applies to one installed file. DEP-5 rule: the last <c>Files:</c> paragraph whose pattern matches
/// wins. Patterns are relative to the source tree, installed paths are not, so a pattern matches when it matches a
/// tail of the installed path (<c>dat/snd/music/*</c> matches <c>usr/share/games/naev/dat/snd/music/a.ogg</c>).
/// </summary>
public sealed class Dep5Copyright
{
    private readonly List<(Regex[] Patterns, string License)> _paragraphs = [];
    private readonly string? _freeTextLicense;

    private Dep5Copyright(string? freeTextLicense) => _freeTextLicense = freeTextLicense;

    public static Dep5Copyright Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var paragraphs = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? field = null;
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0) { current = null; field = null; continue; }
            if (char.IsWhiteSpace(line[0]))
            {
                if (current is not null && field is not null) current[field] += "\n" + line.Trim();
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Contains(' ')) continue;
            if (current is null) paragraphs.Add(current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
            field = line[..colon];
            current[field] = line[(colon + 1)..].Trim();
        }

        bool machineReadable = paragraphs.Any(p => p.ContainsKey("Files"));
        var copyright = new Dep5Copyright(machineReadable ? null : FreeTextLicense(text));
        foreach (var p in paragraphs)
        {
            if (!p.TryGetValue("Files", out var files) || !p.TryGetValue("License", out var license)) continue;
            var name = license.Split('\n')[0].Trim();
            if (name.Length == 0) continue;
            var patterns = files.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(ToRegex).ToArray();
            copyright._paragraphs.Add((patterns, name));
        }
        return copyright;
    }

    /// <summary>The licence of the file installed at <paramref name="installedPath"/> (relative to the package root), or null.</summary>
    public string? LicenseOf(string installedPath)
    {
        var path = installedPath.Replace('\\', '/').TrimStart('.', '/');
        string? found = null;
        foreach (var (patterns, license) in _paragraphs)
            if (patterns.Any(r => r.IsMatch(path))) found = license;
        return found ?? _freeTextLicense;
    }

    // DEP-5 globs: '*' any run of characters (slashes included), '?' one character.
    private static Regex ToRegex(string pattern)
    {
        var p = pattern.StartsWith("./", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (p == "*") return new Regex("^.*$", RegexOptions.CultureInvariant);
        var body = Regex.Escape(p).Replace(@"\*", ".*").Replace(@"\?", ".");
        return new Regex($"(^|/){body}$", RegexOptions.CultureInvariant);
    }

    // Older copyright files are prose: recognise the common GPL wordings, else point at the file.
    private static string? FreeTextLicense(string text)
    {
        var flat = Regex.Replace(text, @"\s+", " ");
        var gpl = Regex.Match(flat, @"GNU (Lesser |Library )?General Public License[^.]*?version (\d)(?:[^.]*?(any later version))?", RegexOptions.IgnoreCase);
        if (!gpl.Success) return null;
        string kind = gpl.Groups[1].Success ? "LGPL" : "GPL";
        return $"{kind}-{gpl.Groups[2].Value}{(gpl.Groups[3].Success ? "+" : "")}";
    }
}
