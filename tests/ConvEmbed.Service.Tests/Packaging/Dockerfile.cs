namespace ConvEmbed.Service.Tests.Packaging;

/// <summary>
/// A Dockerfile read the way the builder reads it: comment lines dropped, continuation lines joined, instructions
/// grouped by the stage (FROM) they belong to. Enough to check what a stage copies and installs, not a full parser.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerfileStage> stages) => Stages = stages;

    public IReadOnlyList<DockerfileStage> Stages { get; }

    public DockerfileStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidDataException($"the Dockerfile has no stage '{name}'");

    public static Dockerfile Read(string path)
    {
        var stages = new List<DockerfileStage>();
        var pending = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var instruction = (pending + line).Trim();
            pending = "";
            if (instruction.Length == 0) continue;
            var space = instruction.IndexOf(' ');
            var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : instruction[(space + 1)..].Trim();
            if (keyword == "FROM") stages.Add(DockerfileStage.From(arguments));
            else if (stages.Count > 0) stages[^1].Instructions.Add((keyword, arguments));
            // Instructions before the first FROM (global ARGs) belong to no stage.
        }
        return new Dockerfile(stages);
    }
}
