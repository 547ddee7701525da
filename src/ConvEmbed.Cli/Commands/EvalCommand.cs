using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Evaluation;
using Spectre.Console;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed eval FILE [--labels CSV | --labels-from-folders] [--json]`: metrics of an embeddings file.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("embeddings") { Description = "Embeddings file written by 'convembed embed' (.jsonl or .csv)." };
        var labels = new Option<FileInfo?>("--labels") { Description = "CSV of path,label (paths as in the embeddings file)." };
        var fromFolders = new Option<bool>("--labels-from-folders") { Description = "Use each path's first folder as its label." };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON instead of a table." };
        var seed = new Option<int>("--seed") { Description = "Seed of the k-means restarts.", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate embeddings against labels: leave-one-out weighted kNN@10/20, k-means AMI and ARI.")
        {
            file, labels, fromFolders, json, seed,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(labels) is null) == !r.GetValue(fromFolders))
                r.AddError("give exactly one of --labels CSV or --labels-from-folders");
        });
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new CliError($"embeddings file not found: {path.FullName}");
            var embeddings = EmbeddingFile.Read(path.FullName);
            if (embeddings.Count < 2) throw new CliError($"{path.Name} holds {embeddings.Count} embedding(s); evaluation needs at least 2");
            var labelFile = parse.GetValue(labels);
            if (labelFile is { Exists: false }) throw new CliError($"labels file not found: {labelFile.FullName}");
            var trackLabels = labelFile is null
                ? TrackLabels.FromFolders(embeddings.Select(e => e.Path))
                : TrackLabels.FromCsv(labelFile.FullName);

            var metrics = new EmbeddingEvaluator(new EvaluationOptions { Seed = parse.GetValue(seed) })
                .Evaluate(embeddings.Select(e => e.Embedding).ToList(), trackLabels.For(embeddings));

            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(metrics, CliJson.Options));
            else AnsiConsole.Write(MetricsTable(path.Name, metrics));
            return 0;
        });
        return command;
    }

    public static Table MetricsTable(string name, EmbeddingMetrics m)
    {
        var table = new Table().AddColumns("embeddings", "tracks", "labels", "kNN@10", "kNN@20", "AMI", "ARI", "emb std");
        table.AddRow(Markup.Escape(name), m.Tracks.ToString(CultureInfo.InvariantCulture), m.Labels.ToString(CultureInfo.InvariantCulture),
            F(m.Knn10), F(m.Knn20), F(m.Ami), F(m.Ari), F(m.EmbeddingStd));
        return table;
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
