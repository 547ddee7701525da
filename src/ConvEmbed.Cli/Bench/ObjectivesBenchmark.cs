using System.CommandLine;
using System.Globalization;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using Spectre.Console;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench objectives FOLDER --minutes N --evals 1,2,5`: ConvEmbed and DINO trained one after the other on the same
/// data, budget and seed; evaluated at each mark; one table with the MFCC and random-encoder baselines.
/// </summary>
public static class ObjectivesBenchmark
{
    public sealed record Baselines(EmbeddingMetrics Mfcc, EmbeddingMetrics Random);
    public sealed record Result(IReadOnlyList<BenchRow> Rows, Baselines Baselines, int Threads, int Tracks, int Labels,
        string Encoder, string Dino, int ProcessorCount, string Libtorch);

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder with one subfolder of audio per label." };
        var minutes = new Option<double?>("--minutes") { Description = "Training budget per objective (default: the last mark)." };
        var evals = new Option<string>("--evals") { Description = "Comma-separated marks in training minutes at which to evaluate.", DefaultValueFactory = _ => "1,2,5" };
        var dinoMinutes = new Option<double?>("--dino-minutes") { Description = "A longer budget for DINO only (adds its end as a mark)." };
        var objectives = new Option<string>("--objectives") { Description = "Which to train, comma-separated: convembed, dino.", DefaultValueFactory = _ => "convembed,dino" };
        var encoder = TrainingCliOptions.Encoder();
        var variant = TrainingCliOptions.Variant();
        var seed = TrainingCliOptions.Seed("Seed of both runs.");
        var threads = TrainingCliOptions.Threads();
        var batch = TrainingCliOptions.Batch();
        var cache = TrainingCliOptions.Cache();
        var json = TrainingCliOptions.Json();
        var command = new Command("objectives", "Train ConvEmbed and DINO side by side on a labelled folder and compare kNN@20, AMI, ARI and speed.")
        {
            folder, minutes, evals, dinoMinutes, objectives, encoder, variant, seed, threads, batch, cache, json,
        };
        var dinoOptions = new DinoOptions();
        dinoOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var marks = ParseMarks(parse.GetValue(evals)!);
            var budget = parse.GetValue(minutes) ?? marks.Max();
            if (budget <= 0) throw new CliError("--minutes must be positive");
            marks = marks.Where(m => m <= budget).Append(budget).Distinct().Order().ToList();
            var which = parse.GetValue(objectives)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (which.Length == 0 || which.Any(w => w is not (ObjectiveFactory.ConvEmbed or ObjectiveFactory.Dino)))
                throw new CliError($"--objectives takes convembed and/or dino (was '{parse.GetValue(objectives)}')");
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var config = EncoderConfig.FromPreset(parse.GetValue(encoder)!);
            var dino = dinoOptions.Read(parse);
            Stderr.Line($"{config.Describe()}; libtorch {TorchRuntime.Version}, {TorchRuntime.Threads} threads; dino {dino.Describe()}");

            using var library = await BenchLibrary.LoadAsync(parse.GetValue(folder)!.FullName, parse.GetValue(cache), parse.GetValue(seed), ct);
            Stderr.Line($"{library.Mels.Count} tracks, {library.LabelCount} labels; training pool {library.Pool.Count} tracks");
            var baselines = new Baselines(library.EvaluateMfcc(), RandomBaseline(library, config, parse.GetValue(seed)));
            var rows = new List<BenchRow>();
            foreach (var objective in which)
            {
                ct.ThrowIfCancellationRequested();
                var isDino = objective == ObjectiveFactory.Dino;
                var own = isDino && parse.GetValue(dinoMinutes) is { } longer ? marks.Append(longer).Distinct().Order().ToList() : marks;
                var spec = new RunSpec(objective, Variants.Parse(parse.GetValue(variant)!), config, dino);
                var options = new TrainingOptions { BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), Minutes = own.Max() };
                rows.AddRange(library.TrainAndEvaluate(spec, options, own, objective));
            }
            var result = new Result(rows, baselines, TorchRuntime.Threads, library.Mels.Count, library.LabelCount, config.Describe(),
                dino.Describe(), Environment.ProcessorCount, TorchRuntime.Version);
            Print(result);
            BenchmarkJson.Write(parse.GetValue(json), result);
            return 0;
        });
        return command;
    }

    public static List<double> ParseMarks(string text)
    {
        var marks = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0) marks.Add(m);
            else throw new CliError($"--evals takes positive minutes separated by commas (bad value '{part}')");
        if (marks.Count == 0) throw new CliError("--evals needs at least one mark");
        return marks.Distinct().Order().ToList();
    }

    private static EmbeddingMetrics RandomBaseline(BenchLibrary library, EncoderConfig config, int seed)
    {
        Torch.Torch.manual_seed(seed);
        using var encoder = new Encoder(config);
        return library.Evaluate(encoder, 600);
    }

    private static void Print(Result r)
    {
        var table = new Table().AddColumns("objective", "minutes", "step", "kNN@10", "kNN@20", "AMI", "ARI", "steps/s", "windows/s", "emb std");
        foreach (var row in r.Rows)
            table.AddRow(row.Objective, F(row.Minutes, "0.##"), row.Step.ToString(CultureInfo.InvariantCulture), F(row.Knn10), F(row.Knn20),
                F(row.Ami), F(row.Ari), F(row.StepsPerS, "0.00"), F(row.WindowsPerS, "0.0"), row.Collapsed ? "collapsed" : F(row.EmbeddingStd, "0.0000"));
        foreach (var (name, m) in new[] { ("mfcc baseline", r.Baselines.Mfcc), ("random encoder", r.Baselines.Random) })
            table.AddRow(name, "-", "-", F(m.Knn10), F(m.Knn20), F(m.Ami), F(m.Ari), "-", "-", F(m.EmbeddingStd, "0.0000"));
        AnsiConsole.Write(table);
        Console.WriteLine($"{r.Tracks} tracks, {r.Labels} labels; {r.Encoder}; {r.Threads} threads of {r.ProcessorCount} cores; libtorch {r.Libtorch}");

        var conv = r.Rows.Where(x => x.Objective == ObjectiveFactory.ConvEmbed).ToList();
        var dino = r.Rows.Where(x => x.Objective == ObjectiveFactory.Dino).ToList();
        if (conv.Count == 0 || dino.Count == 0) return;
        var speed = conv[^1].StepsPerS / dino[^1].StepsPerS;
        Console.WriteLine($"steps/s: convembed {conv[^1].StepsPerS:0.00} vs dino {dino[^1].StepsPerS:0.00} = {speed:0.00}×");
        var target = dino[^1].Knn20;
        var reach = conv.FirstOrDefault(x => x.Knn20 >= target);
        Console.WriteLine(reach is null
            ? $"convembed did not reach dino's final kNN@20 {target:0.000} within {conv[^1].Minutes:0.##} min"
            : $"convembed reached dino's final kNN@20 {target:0.000} by {reach.Minutes:0.##} min = {reach.Minutes / dino[^1].Minutes:0.00} of dino's {dino[^1].Minutes:0.##} min");
        var common = conv.Join(dino, c => c.Minutes, d => d.Minutes, (c, d) => (c.Minutes, Ahead: c.Knn20 - d.Knn20)).ToList();
        if (common.Count > 0)
            Console.WriteLine("at equal time, convembed − dino kNN@20: " + string.Join(", ", common.Select(c => $"{c.Minutes:0.##} min {c.Ahead:+0.000;-0.000}")));
    }

    private static string F(double v, string format = "0.000") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
}
