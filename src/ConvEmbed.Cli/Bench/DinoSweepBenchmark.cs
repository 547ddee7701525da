using System.CommandLine;
using System.Globalization;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using Spectre.Console;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench dino-sweep FOLDER --minutes N`: short DINO trainings over teacher momentum 0.99/0.996 × prototypes
/// 256/1024 × teacher temperature 0.04/0.07, each evaluated at the end; prints the table, best first.
/// </summary>
public static class DinoSweepBenchmark
{
    public sealed record Row(double TeacherMomentum, int Prototypes, double TeacherTemperature, double Knn20, double Ami, double Ari,
        double StepsPerS, int Steps, bool Collapsed);
    public sealed record Result(IReadOnlyList<Row> Rows, double Minutes, int Threads, int Tracks, int Labels, string Encoder, string Precision);

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder with one subfolder of audio per label." };
        var minutes = new Option<double>("--minutes") { Description = "Training minutes per setting.", DefaultValueFactory = _ => 2 };
        var encoder = TrainingCliOptions.Encoder();
        var seed = TrainingCliOptions.Seed("Seed of every run.");
        var threads = TrainingCliOptions.Threads();
        var cache = TrainingCliOptions.Cache();
        var json = TrainingCliOptions.Json();
        var precision = TrainingCliOptions.Precision();
        var command = new Command("dino-sweep", "Short DINO trainings over momentum × prototypes × teacher temperature; the table, best first.")
        {
            folder, minutes, encoder, seed, threads, cache, precision, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var budget = parse.GetValue(minutes);
            if (budget <= 0) throw new CliError("--minutes must be positive");
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var config = EncoderConfig.FromPreset(parse.GetValue(encoder)!);
            var chosen = TrainingCliOptions.ReadPrecision(parse, precision);
            using var library = await BenchLibrary.LoadAsync(parse.GetValue(folder)!.FullName, parse.GetValue(cache), parse.GetValue(seed), ct);
            var rows = new List<Row>();
            foreach (var momentum in new[] { 0.99, 0.996 })
                foreach (var prototypes in new[] { 256, 1024 })
                    foreach (var temperature in new[] { 0.04, 0.07 })
                    {
                        ct.ThrowIfCancellationRequested();
                        var dino = new DinoSettings { TeacherMomentum = momentum, Prototypes = prototypes, TeacherTemperature = temperature };
                        var spec = new RunSpec(ObjectiveFactory.Dino, Variant.InfoNce, config, dino);
                        var options = new TrainingOptions { Seed = parse.GetValue(seed), Minutes = budget, Precision = chosen.Precision };
                        var r = library.TrainAndEvaluate(spec, options, [budget], $"dino m{momentum} K{prototypes} tt{temperature}")[^1];
                        rows.Add(new Row(momentum, prototypes, temperature, r.Knn20, r.Ami, r.Ari, r.StepsPerS, r.Step, r.Collapsed));
                    }
            rows = rows.OrderByDescending(r => double.IsNaN(r.Knn20) ? -1 : r.Knn20).ToList();
            var table = new Table().AddColumns("momentum", "prototypes", "teacher temp", "kNN@20", "AMI", "ARI", "steps/s", "steps");
            foreach (var r in rows)
                table.AddRow(F(r.TeacherMomentum, "0.###"), r.Prototypes.ToString(CultureInfo.InvariantCulture), F(r.TeacherTemperature, "0.00"),
                    r.Collapsed ? "collapsed" : F(r.Knn20), F(r.Ami), F(r.Ari), F(r.StepsPerS, "0.00"), r.Steps.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Console.WriteLine($"{budget:0.##} min per setting; {library.Mels.Count} tracks, {library.LabelCount} labels; {TorchRuntime.Threads} threads; precision {Precisions.Name(chosen.Precision)}; best: momentum {rows[0].TeacherMomentum}, {rows[0].Prototypes} prototypes, teacher temperature {rows[0].TeacherTemperature}");
            BenchmarkJson.Write(parse.GetValue(json), new Result(rows, budget, TorchRuntime.Threads, library.Mels.Count, library.LabelCount, config.Describe(), Precisions.Name(chosen.Precision)));
            return 0;
        });
        return command;
    }

    private static string F(double v, string format = "0.000") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
}
