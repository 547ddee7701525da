using System.CommandLine;
using System.Globalization;
using ConvEmbed.Cli.Library;
using ConvEmbed.Cli.Map;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Mapping;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed map FILE [--labels CSV | --labels-from-folders] --out map.html|map.png`: the library map offline.</summary>
public static class MapCommand
{
    public static Command Create()
    {
        var input = new EmbeddingsInput();
        var output = new Option<FileInfo>("--out") { Description = "map.html (self-contained, interactive) or map.png.", Required = true };
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE perplexity (capped at (N − 1) / 3).", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of the layout.", DefaultValueFactory = _ => 0 };
        var title = new Option<string?>("--title") { Description = "Title of the picture (default: the embeddings file's name)." };
        var command = new Command("map", "Draw a 2-D t-SNE map of an embeddings file, coloured by label, as a self-contained HTML page or a PNG.")
        {
            output, perplexity, seed, title,
        };
        input.AddTo(command, labelsRequired: false); // labels colour the points; without them all share one colour
        command.Validators.Add(r =>
        {
            if (r.GetValue(output) is { } o && Format(o.Name) is null) r.AddError($"--out must end in .html or .png (was '{o.Name}')");
        });
        OptionChecks.Must(perplexity, v => v is >= 1 and <= 500, "must be between 1 and 500");
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input.File)!;
            var embeddings = input.Read(parse, "a map");
            var labels = input.Labels(parse, embeddings);
            var names = embeddings.Select(e => e.Path).ToList();
            var labelList = labels ?? Enumerable.Repeat(LabelledMap.Unlabelled, embeddings.Count).ToList();

            var tsne = new Tsne(new TsneOptions { Perplexity = parse.GetValue(perplexity), Seed = parse.GetValue(seed) });
            var vectors = embeddings.Select(e => e.Embedding).ToList();
            Stderr.Line($"t-SNE of {vectors.Count} vectors ({vectors[0].Length}-d), perplexity {tsne.Options.Perplexity}");
            var started = DateTime.UtcNow;
            var points = tsne.Fit(vectors, new Synchronous<TsneProgress>(p =>
            {
                if (p.Phase != "optimising") Stderr.Line($"  {p.Phase} …");
                else if (p.Iteration % 250 == 0) Stderr.Line($"  iteration {p.Iteration} / {p.Iterations}");
            }));
            Stderr.Line(string.Create(CultureInfo.InvariantCulture, $"layout in {(DateTime.UtcNow - started).TotalSeconds:0.0} s, KL {tsne.KullbackLeibler:0.000}"));
            if (labels is not null) PrintNeighbourhoods(vectors, points, labels);

            var map = new LabelledMap(parse.GetValue(title) ?? Path.GetFileNameWithoutExtension(path.Name), names, points, labelList);
            var target = parse.GetValue(output)!;
            Directory.CreateDirectory(target.DirectoryName!);
            if (Format(target.Name) == "png") MapPng.Write(map, target.FullName);
            else File.WriteAllText(target.FullName, MapHtml.Render(map));
            Console.WriteLine($"wrote {target.FullName} ({points.Length} points, {map.LabelsByCount().Count} label(s))");
            return 0;
        });
        return command;
    }

    private static string? Format(string name) =>
        name.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "png" : name.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? "html" : null;

    /// <summary>How much of the labels' grouping the picture keeps: kNN@10 on the map next to the full space.</summary>
    private static void PrintNeighbourhoods(IReadOnlyList<float[]> vectors, MapPoint[] points, IReadOnlyList<string> labels)
    {
        var index = labels.Distinct().Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var classes = labels.Select(l => index[l]).ToList();
        var full = new WeightedKnnClassifier(vectors, classes, 10).LeaveOneOutAccuracy(10);
        var plane = MapNeighbourhoods.KnnAccuracy(points, classes, 10);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kNN@10 by label: {full:0.000} in the embedding space, {plane:0.000} on the map"));
    }
}
