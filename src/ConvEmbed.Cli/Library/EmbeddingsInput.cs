using System.CommandLine;
using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Cli.Library;

/// <summary>An embeddings file and its labels, as `eval` and `map` take them: FILE [--labels CSV | --labels-from-folders].</summary>
public sealed class EmbeddingsInput
{
    public Argument<FileInfo> File { get; } = new("embeddings") { Description = "Embeddings file written by 'convembed embed' (.jsonl or .csv)." };
    public Option<FileInfo?> LabelFile { get; } = new("--labels") { Description = "CSV of path,label (paths as in the embeddings file)." };
    public Option<bool> FromFolders { get; } = new("--labels-from-folders") { Description = "Use each path's first folder as its label." };

    /// <summary>Adds the argument and options; <paramref name="labelsRequired"/> demands exactly one of the two label sources.</summary>
    public void AddTo(Command command, bool labelsRequired)
    {
        command.Arguments.Add(File);
        command.Options.Add(LabelFile);
        command.Options.Add(FromFolders);
        command.Validators.Add(r =>
        {
            var given = (r.GetValue(LabelFile) is null ? 0 : 1) + (r.GetValue(FromFolders) ? 1 : 0);
            if (given > 1 || (labelsRequired && given == 0))
                r.AddError(labelsRequired ? "give exactly one of --labels CSV or --labels-from-folders" : "give at most one of --labels CSV or --labels-from-folders");
        });
    }

    /// <summary>The embeddings; at least two (<paramref name="purpose"/> says what for, e.g. "evaluation").</summary>
    public IReadOnlyList<TrackEmbedding> Read(ParseResult parse, string purpose)
    {
        var path = parse.GetValue(File)!;
        if (!path.Exists) throw new CliError($"embeddings file not found: {path.FullName}");
        var embeddings = EmbeddingFile.Read(path.FullName);
        if (embeddings.Count < 2) throw new CliError($"{path.Name} holds {embeddings.Count} embedding(s); {purpose} needs at least 2");
        return embeddings;
    }

    /// <summary>The label of each embedding, in order, or null when no label source was given.</summary>
    public IReadOnlyList<string>? Labels(ParseResult parse, IReadOnlyList<TrackEmbedding> embeddings)
    {
        var labelFile = parse.GetValue(LabelFile);
        if (labelFile is { Exists: false }) throw new CliError($"labels file not found: {labelFile.FullName}");
        var labels = labelFile is not null ? TrackLabels.FromCsv(labelFile.FullName)
            : parse.GetValue(FromFolders) ? TrackLabels.FromFolders(embeddings.Select(e => e.Path)) : null;
        return labels?.For(embeddings);
    }
}
