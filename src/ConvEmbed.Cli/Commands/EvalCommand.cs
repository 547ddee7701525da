using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConvEmbed.Cli.Library;
using ConvEmbed.Model.Evaluation;
using Spectre.Console;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed eval FILE [--labels CSV | --labels-from-folders] [--json]`: metrics of an embeddings file.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var input = new EmbeddingsInput();
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON instead of a table." };
        var seed = new Option<int>("--seed") { Description = "Seed of the k-means restarts.", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate embeddings against labels: leave-one-out weighted kNN@10/20, k-means AMI and ARI.")
        {
            json, seed,
        };
        input.AddTo(command, labelsRequired: true);
        command.SetAction(parse =>
        {
            var embeddings = input.Read(parse, "evaluation");
            var labels = input.Labels(parse, embeddings)!;
            var metrics = new EmbeddingEvaluator(new EvaluationOptions { Seed = parse.GetValue(seed) })
                .Evaluate(embeddings.Select(e => e.Embedding).ToList(), labels);

            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(metrics, CliJson.Options));
            else AnsiConsole.Write(MetricsTable(parse.GetValue(input.File)!.Name, metrics));
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
