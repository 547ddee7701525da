using System.Text.Json;

namespace ConvEmbed.Service.Tests.Packaging;

/// <summary>One FROM … AS name section of a <see cref="Dockerfile"/>, with its instructions in order.</summary>
public sealed class DockerfileStage(string baseImage, string? name)
{
    public string BaseImage { get; } = baseImage;
    public string? Name { get; } = name;
    public List<(string Keyword, string Arguments)> Instructions { get; } = [];

    public IEnumerable<string> Runs => Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments);

    /// <summary>Every COPY: the stage or image it copies from (null: the build context), its sources, its destination.</summary>
    public IEnumerable<(string? From, IReadOnlyList<string> Sources, string Destination)> Copies()
    {
        foreach (var (keyword, arguments) in Instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            string? from = null;
            while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
            {
                if (words[0].StartsWith("--from=", StringComparison.Ordinal)) from = words[0]["--from=".Length..];
                words.RemoveAt(0);
            }
            var rest = string.Join(' ', words);
            // The JSON form, COPY ["a", "b", "dest/"], allows spaces in paths.
            var paths = rest.StartsWith('[') ? JsonSerializer.Deserialize<List<string>>(rest)! : words;
            if (paths.Count < 2) throw new InvalidDataException($"{keyword} {arguments}: needs a source and a destination");
            yield return (from, paths.Take(paths.Count - 1).ToList(), paths[^1]);
        }
    }

    internal static DockerfileStage From(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
        return new DockerfileStage(words[0], name);
    }
}
