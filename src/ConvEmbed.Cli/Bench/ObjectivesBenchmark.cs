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
/// `bench objectives FOLDER --minutes N --evals 1,2,5 [--seeds 0,1]`: ConvEmbed and DINO trained one after the other on
/// the same data, budget and seed; evaluated at each mark; one table per seed with the MFCC and random-encoder
/// baselines, and with several seeds a table of means and spreads.
/// </summary>
public static class ObjectivesBenchmark
{
    /// <summary>The baselines of the first seed; <paramref name="MfccHubnessKnn20"/> and <paramref name="MfccWhitened"/> are the MFCC
    /// statistics' read-outs (hubness-corrected neighbours; PCA whitening fitted on the pool).</summary>
    public sealed record Baselines(EmbeddingMetrics Mfcc, EmbeddingMetrics Random, double MfccHubnessKnn20 = double.NaN, EmbeddingMetrics? MfccWhitened = null);
    public sealed record Result(IReadOnlyList<BenchRow> Rows, Baselines Baselines, int Threads, int Tracks, int Labels,
        string Encoder, string Dino, int ProcessorCount, string Libtorch, IReadOnlyList<int> Seeds, string Precision, string PrecisionReason, string Settings)
    {
        /// <summary>Means and ranges over the seeds, per objective and mark.</summary>
        public IReadOnlyList<Summary> Means => Summarise(Rows);
    }

    /// <summary>One objective at one mark over all seeds: the mean and the range (max − min) of each seed's value.</summary>
    public sealed record Summary(string Objective, double Minutes, double Step, double Knn20, double Knn20Range, double Ami,
        double AmiRange, int Seeds, int Collapsed, double Knn20Standardised = double.NaN, double Knn20StandardisedRange = double.NaN,
        double AmiStandardised = double.NaN, double AmiStandardisedRange = double.NaN,
        double Knn20Whitened = double.NaN, double Knn20WhitenedRange = double.NaN, double AmiWhitened = double.NaN, double AmiWhitenedRange = double.NaN,
        double Knn20Hubness = double.NaN, double Knn20HubnessRange = double.NaN,
        double Knn20MeanStd = double.NaN, double Knn20MeanStdRange = double.NaN, double AmiMeanStd = double.NaN, double AmiMeanStdRange = double.NaN,
        double Knn20Pre = double.NaN, double Knn20PreRange = double.NaN, double AmiPre = double.NaN, double AmiPreRange = double.NaN,
        double Knn20LastTwo = double.NaN, double Knn20LastTwoRange = double.NaN, double AmiLastTwo = double.NaN, double AmiLastTwoRange = double.NaN);

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
        var seeds = new Option<string?>("--seeds") { Description = "Several seeds, comma-separated (e.g. 0,1): every run once per seed, then means and spreads. Overrides --seed." };
        var threads = TrainingCliOptions.Threads();
        var batch = TrainingCliOptions.Batch();
        var cache = TrainingCliOptions.Cache();
        var json = TrainingCliOptions.Json();
        var precision = TrainingCliOptions.Precision();
        var device = TrainingCliOptions.Device();
        var research = new ResearchOptions();
        var command = new Command("objectives", "Train ConvEmbed and DINO side by side on a labelled folder and compare kNN@20, AMI, ARI and speed.")
        {
            folder, minutes, evals, dinoMinutes, objectives, encoder, variant, seed, seeds, threads, batch, cache, precision, device, json,
        };
        research.AddTo(command);
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
            var settings = research.Read(parse);
            try { new TrainingOptions { BatchSize = parse.GetValue(batch), WindowsPerTrack = settings.WindowsPerTrack, Minutes = 1 }.Validate(); }
            catch (ArgumentException e) { throw new CliError(e.Message); } // the trainer's own rule, as one line before any work
            if (settings.OtherWindows && settings.WindowsPerTrack < 2) throw new CliError("--other-windows needs --windows-per-track 2 or more");
            if (settings.OtherWindows && settings.Queue > 0) throw new CliError("--other-windows and --queue do not go together");
            var config = EncoderConfig.FromPreset(parse.GetValue(encoder)!, settings.Channels);
            var dino = dinoOptions.Read(parse);
            Stderr.Line($"{config.Describe()}; libtorch {TorchRuntime.Version}, {TorchRuntime.Threads} threads; dino {dino.Describe()}");
            Stderr.Line(settings.Describe());
            var on = TrainingCliOptions.ReadDevice(parse, device);
            var chosen = TrainingCliOptions.ReadPrecision(parse, precision, device: on); // both objectives in the same precision

            var seedList = parse.GetValue(seeds) is { } text ? ParseSeeds(text) : [parse.GetValue(seed)];
            var rows = new List<BenchRow>();
            Baselines? baselines = null;
            int tracks = 0, labels = 0;
            foreach (var s in seedList)
            {
                // The training pool (80 % of the tracks) is drawn with the seed, so each seed loads its own split.
                using var library = await BenchLibrary.LoadAsync(parse.GetValue(folder)!.FullName, parse.GetValue(cache), s, ct);
                (tracks, labels) = (library.Mels.Count, library.LabelCount);
                Stderr.Line($"seed {s}: {library.Mels.Count} tracks, {library.LabelCount} labels; training pool {library.Pool.Count} tracks");
                baselines ??= MeasureBaselines(library, config, s);
                foreach (var objective in which)
                {
                    ct.ThrowIfCancellationRequested();
                    var isDino = objective == ObjectiveFactory.Dino;
                    var own = isDino && parse.GetValue(dinoMinutes) is { } longer ? marks.Append(longer).Distinct().Order().ToList() : marks;
                    var spec = new RunSpec(objective, Variants.Parse(parse.GetValue(variant)!), config, dino) { Temperature = settings.Temperature, QueueSize = settings.Queue, OtherWindows = settings.OtherWindows };
                    var options = new TrainingOptions
                    {
                        BatchSize = parse.GetValue(batch), Seed = s, Minutes = own.Max(), Precision = chosen.Precision, Device = on,
                        WindowFrames = settings.WindowFrames, LearningRate = settings.LearningRate,
                        WindowsPerTrack = isDino ? 1 : settings.WindowsPerTrack,
                    };
                    rows.AddRange(library.TrainAndEvaluate(spec, options, own, objective, settings.Augmentation(library.Normalisation.Std), settings.DistinctTracks));
                }
            }
            var result = new Result(rows, baselines!, TorchRuntime.Threads, tracks, labels, config.Describe(),
                dino.Describe(), Environment.ProcessorCount, TorchRuntime.Version, seedList, Precisions.Name(chosen.Precision), chosen.Reason, settings.Describe());
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

    public static List<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) seeds.Add(s);
            else throw new CliError($"--seeds takes integers separated by commas (bad value '{part}')");
        if (seeds.Count == 0) throw new CliError("--seeds needs at least one seed");
        return seeds.Distinct().ToList();
    }

    /// <summary>Means and ranges over seeds per objective and mark; a collapsed run counts in <c>Collapsed</c>, not in the means.</summary>
    public static List<Summary> Summarise(IReadOnlyList<BenchRow> rows) =>
        rows.GroupBy(r => (r.Objective, r.Minutes)).Select(g =>
        {
            var ok = g.Where(r => !r.Collapsed && !double.IsNaN(r.Knn20)).ToList();
            double Mean(Func<BenchRow, double> f) => ok.Count == 0 ? double.NaN : ok.Average(f);
            double Range(Func<BenchRow, double> f) => ok.Count == 0 ? double.NaN : ok.Max(f) - ok.Min(f);
            return new Summary(g.Key.Objective, g.Key.Minutes, g.Average(r => r.Step), Mean(r => r.Knn20), Range(r => r.Knn20),
                Mean(r => r.Ami), Range(r => r.Ami), g.Count(), g.Count(r => r.Collapsed),
                Mean(r => r.Knn20Standardised), Range(r => r.Knn20Standardised), Mean(r => r.AmiStandardised), Range(r => r.AmiStandardised),
                Mean(r => r.Knn20Whitened), Range(r => r.Knn20Whitened), Mean(r => r.AmiWhitened), Range(r => r.AmiWhitened),
                Mean(r => r.Knn20Hubness), Range(r => r.Knn20Hubness),
                Mean(r => r.Knn20MeanStd), Range(r => r.Knn20MeanStd), Mean(r => r.AmiMeanStd), Range(r => r.AmiMeanStd),
                Mean(r => r.Knn20Pre), Range(r => r.Knn20Pre), Mean(r => r.AmiPre), Range(r => r.AmiPre),
                Mean(r => r.Knn20LastTwo), Range(r => r.Knn20LastTwo), Mean(r => r.AmiLastTwo), Range(r => r.AmiLastTwo));
        }).ToList();

    /// <summary>
    /// The claim for one seed (or the means): DINO's best kNN@20 at any mark, when DINO got there, and the first mark at
    /// which ConvEmbed is at least as good; null when one of the objectives is missing or never evaluated.
    /// </summary>
    public static (double Target, double DinoMinutes, double? ConvMinutes)? TimeToDinoBest(
        IReadOnlyList<(double Minutes, double Knn20)> conv, IReadOnlyList<(double Minutes, double Knn20)> dino)
    {
        var evaluated = dino.Where(d => !double.IsNaN(d.Knn20)).ToList();
        if (conv.Count == 0 || evaluated.Count == 0) return null;
        var best = evaluated.MaxBy(d => d.Knn20);
        var reach = conv.Where(c => c.Knn20 >= best.Knn20).Select(c => (double?)c.Minutes).FirstOrDefault();
        return (best.Knn20, best.Minutes, reach);
    }

    private static Baselines MeasureBaselines(BenchLibrary library, EncoderConfig config, int seed)
    {
        var mfcc = library.MfccStatistics();
        return new Baselines(library.Evaluate(mfcc), RandomBaseline(library, config, seed), library.HubnessCorrectedKnn20(mfcc),
            library.Evaluate(library.WhitenByPool(mfcc)));
    }

    private static EmbeddingMetrics RandomBaseline(BenchLibrary library, EncoderConfig config, int seed)
    {
        Torch.Torch.manual_seed(seed);
        using var encoder = new Encoder(config);
        return library.Evaluate(encoder, new TrainingOptions().WindowFrames);
    }

    private static void Print(Result r)
    {
        foreach (var seed in r.Seeds.Distinct())
        {
            var rows = r.Rows.Where(x => x.Seed == seed).ToList();
            if (r.Seeds.Count > 1) Console.WriteLine($"seed {seed}");
            var table = new Table().AddColumns("objective", "minutes", "step", "kNN@10", "kNN@20", "AMI", "ARI", "kNN@20 std.", "AMI std.",
                "kNN@20 white.", "AMI white.", "kNN@20 hub.", "kNN@20 m⊕s", "AMI m⊕s", "kNN@20 pre", "AMI pre", "kNN@20 l2", "AMI l2",
                "steps/s", "windows/s", "emb std");
            foreach (var row in rows)
                table.AddRow(row.Objective, F(row.Minutes, "0.##"), row.Step.ToString(CultureInfo.InvariantCulture), F(row.Knn10), F(row.Knn20),
                    F(row.Ami), F(row.Ari), F(row.Knn20Standardised), F(row.AmiStandardised), F(row.Knn20Whitened), F(row.AmiWhitened),
                    F(row.Knn20Hubness), F(row.Knn20MeanStd), F(row.AmiMeanStd), F(row.Knn20Pre), F(row.AmiPre), F(row.Knn20LastTwo), F(row.AmiLastTwo),
                    F(row.StepsPerS, "0.00"), F(row.WindowsPerS, "0.0"), row.Collapsed ? "collapsed" : F(row.EmbeddingStd, "0.0000"));
            // Baselines fill the columns they have; the rest up to the last (emb std) are "-", counted from the header.
            string[] Baseline(string embeddingStd, params string[] leading) =>
                [.. leading, .. Enumerable.Repeat("-", table.Columns.Count - leading.Length - 1), embeddingStd];
            var (mfcc, white) = (r.Baselines.Mfcc, r.Baselines.MfccWhitened);
            table.AddRow(Baseline(F(mfcc.EmbeddingStd, "0.0000"), "mfcc baseline", "-", "-", F(mfcc.Knn10), F(mfcc.Knn20), F(mfcc.Ami), F(mfcc.Ari), "-", "-",
                F(white?.Knn20 ?? double.NaN), F(white?.Ami ?? double.NaN), F(r.Baselines.MfccHubnessKnn20)));
            var random = r.Baselines.Random;
            table.AddRow(Baseline(F(random.EmbeddingStd, "0.0000"), "random encoder", "-", "-", F(random.Knn10), F(random.Knn20), F(random.Ami), F(random.Ari)));
            AnsiConsole.Write(table);
            PrintClaim(rows.Where(x => x.Objective == ObjectiveFactory.ConvEmbed).ToList(), rows.Where(x => x.Objective == ObjectiveFactory.Dino).ToList());
        }
        Console.WriteLine($"{r.Tracks} tracks, {r.Labels} labels; {r.Encoder}; {r.Threads} threads of {r.ProcessorCount} cores; libtorch {r.Libtorch}; " +
                          $"dino {r.Dino}; precision {r.Precision} ({r.PrecisionReason}) for both; {r.Settings}");
        if (r.Seeds.Count < 2) return;

        Console.WriteLine($"means over seeds {string.Join(",", r.Seeds)} (± half the range between seeds; baselines of seed {r.Seeds[0]})");
        var summary = Summarise(r.Rows);
        var means = new Table().AddColumns("objective", "minutes", "step", "kNN@20", "AMI", "kNN@20 std.", "AMI std.",
            "kNN@20 white.", "AMI white.", "kNN@20 hub.", "kNN@20 m⊕s", "AMI m⊕s", "kNN@20 pre", "AMI pre", "kNN@20 l2", "AMI l2", "runs", "collapsed");
        static string Pm(double mean, double range) => $"{F(mean)} ± {F(range / 2)}";
        foreach (var s in summary)
            means.AddRow(s.Objective, F(s.Minutes, "0.##"), F(s.Step, "0"), Pm(s.Knn20, s.Knn20Range), Pm(s.Ami, s.AmiRange),
                Pm(s.Knn20Standardised, s.Knn20StandardisedRange), Pm(s.AmiStandardised, s.AmiStandardisedRange),
                Pm(s.Knn20Whitened, s.Knn20WhitenedRange), Pm(s.AmiWhitened, s.AmiWhitenedRange), Pm(s.Knn20Hubness, s.Knn20HubnessRange),
                Pm(s.Knn20MeanStd, s.Knn20MeanStdRange), Pm(s.AmiMeanStd, s.AmiMeanStdRange),
                Pm(s.Knn20Pre, s.Knn20PreRange), Pm(s.AmiPre, s.AmiPreRange), Pm(s.Knn20LastTwo, s.Knn20LastTwoRange), Pm(s.AmiLastTwo, s.AmiLastTwoRange),
                s.Seeds.ToString(CultureInfo.InvariantCulture), s.Collapsed.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(means);
        var conv = summary.Where(x => x.Objective == ObjectiveFactory.ConvEmbed).Select(x => (x.Minutes, x.Knn20)).ToList();
        var dino = summary.Where(x => x.Objective == ObjectiveFactory.Dino).Select(x => (x.Minutes, x.Knn20)).ToList();
        if (TimeToDinoBest(conv, dino) is var (target, dinoMinutes, convMinutes))
            Console.WriteLine(convMinutes is { } m
                ? $"means: convembed reached dino's best kNN@20 {target:0.000} (dino at {dinoMinutes:0.##} min) by {m:0.##} min = {m / dinoMinutes:0.00} of dino's time"
                : $"means: convembed did not reach dino's best kNN@20 {target:0.000} (dino at {dinoMinutes:0.##} min)");
    }

    private static void PrintClaim(List<BenchRow> conv, List<BenchRow> dino)
    {
        if (conv.Count == 0 || dino.Count == 0) return;
        Console.WriteLine($"steps/s: convembed {conv[^1].StepsPerS:0.00} vs dino {dino[^1].StepsPerS:0.00} = {conv[^1].StepsPerS / dino[^1].StepsPerS:0.00}×");
        var collapsed = dino.FirstOrDefault(d => d.Collapsed);
        if (collapsed is not null) Console.WriteLine($"dino collapsed at step {collapsed.Step}; its marks after that are empty");
        if (TimeToDinoBest(conv.Select(c => (c.Minutes, c.Knn20)).ToList(), dino.Select(d => (d.Minutes, d.Knn20)).ToList()) is var (target, dinoMinutes, convMinutes))
            Console.WriteLine(convMinutes is { } m
                ? $"convembed reached dino's best kNN@20 {target:0.000} (dino at {dinoMinutes:0.##} min) by {m:0.##} min = {m / dinoMinutes:0.00} of dino's time"
                : $"convembed did not reach dino's best kNN@20 {target:0.000} (dino at {dinoMinutes:0.##} min) within {conv[^1].Minutes:0.##} min");
        var common = conv.Join(dino.Where(d => !d.Collapsed), c => c.Minutes, d => d.Minutes, (c, d) => (c.Minutes, Ahead: c.Knn20 - d.Knn20)).ToList();
        if (common.Count > 0)
            Console.WriteLine("at equal time, convembed − dino kNN@20: " + string.Join(", ", common.Select(c => $"{c.Minutes:0.##} min {c.Ahead:+0.000;-0.000}")));
    }

    private static string F(double v, string format = "0.000") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
}
