using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Mapping;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using Spectre.Console;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// `bench tsne`: what the library map costs. A synthetic library of N vectors (D dimensions, 20 clusters) is laid out
/// with each requested repulsion (Barnes-Hut, grid interpolation) in one run — timed per phase — and the exact O(N²)
/// gradient is timed over a few iterations to give its cost per layout. Also prints how well each map keeps the
/// clusters (kNN@10 by cluster on the map against the full space).
/// </summary>
public static class TsneBenchmark
{
    public sealed record Layout(string Repulsion, double NeighboursSeconds, double IterationMs, double Seconds, double Kl, double Knn10Map);

    public sealed record Result(int Points, int Dimensions, int Threads, int Iterations, double Knn10Full, double ExactIterationMs,
        IReadOnlyList<Layout> Layouts, string Cpu);

    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Vectors in the synthetic library.", DefaultValueFactory = _ => 10_000 };
        var dimensions = new Option<int>("--dimensions") { Description = "Their dimension (the default encoder's is 256).", DefaultValueFactory = _ => 256 };
        var exactIterations = new Option<int>("--exact-iterations") { Description = "Exact-gradient iterations to time (0 skips).", DefaultValueFactory = _ => 3 };
        var repulsion = new Option<string>("--repulsion")
        {
            Description = "Comma-separated repulsions to lay the map out with, one after the other: barnes-hut, interpolation.",
            DefaultValueFactory = _ => "barnes-hut,interpolation",
        };
        var threads = TrainingCliOptions.Threads();
        var json = TrainingCliOptions.Json();
        var command = new Command("tsne", "Time the library map's t-SNE (Barnes-Hut and grid interpolation) against the exact gradient on a synthetic library.")
        {
            points, dimensions, exactIterations, repulsion, threads, json,
        };
        OptionChecks.Must(points, v => v >= 50, "must be at least 50");
        OptionChecks.Must(dimensions, v => v >= 2, "must be at least 2");
        OptionChecks.Must(exactIterations, v => v >= 0, "must not be negative");
        OptionChecks.Must(repulsion, v => ParseRepulsions(v) is not null, "must list barnes-hut and/or interpolation, comma-separated");
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var result = Run(parse.GetValue(points), parse.GetValue(dimensions), parse.GetValue(exactIterations), ParseRepulsions(parse.GetValue(repulsion)!)!);
            Print(result);
            BenchmarkJson.Write(parse.GetValue(json), result);
            return 0;
        });
        return command;
    }

    private static TsneRepulsion[]? ParseRepulsions(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = names.Select(v => v switch
        {
            "barnes-hut" => TsneRepulsion.BarnesHut,
            "interpolation" => TsneRepulsion.Interpolation,
            _ => (TsneRepulsion?)null,
        }).ToArray();
        return parsed.Length == 0 || parsed.Any(r => r is null) ? null : parsed.Select(r => r!.Value).Distinct().ToArray();
    }

    public static Result Run(int n, int d, int exactIterations, IReadOnlyList<TsneRepulsion> repulsions)
    {
        var (x, labels) = Clusters(n, d, classes: 20, seed: 0);
        var layouts = new List<Layout>();
        MapPoint[]? lastMap = null;
        var iterations = new TsneOptions().Iterations;
        foreach (var repulsion in repulsions)
        {
            var options = new TsneOptions { Repulsion = repulsion };
            var phases = new Dictionary<string, long>();
            var started = Stopwatch.GetTimestamp();
            var tsne = new Tsne(options);
            var map = tsne.Fit(x, new Synchronous<TsneProgress>(p => phases.TryAdd(p.Phase, Stopwatch.GetTimestamp())));
            var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var neighbours = phases.TryGetValue("optimising", out var opt) && phases.TryGetValue("neighbours", out var nb)
                ? Stopwatch.GetElapsedTime(nb, opt).TotalSeconds : double.NaN;
            layouts.Add(new Layout(Name(repulsion), neighbours, (total - neighbours) * 1000 / options.Iterations, total, tsne.KullbackLeibler,
                MapNeighbourhoods.KnnAccuracy(map, labels, 10)));
            lastMap = map;
        }

        var exactMs = double.NaN;
        if (exactIterations > 0 && lastMap is not null)
        {
            var (index, distance2) = NearestNeighbours.Find(x, Math.Min(n - 1, 90));
            var p = InputAffinities.FromNeighbours(index, distance2, 30);
            var y = lastMap.SelectMany(m => new double[] { m.X, m.Y }).ToArray();
            var gradient = new double[y.Length];
            var clock = Stopwatch.GetTimestamp();
            for (var i = 0; i < exactIterations; i++) TsneGradient.Compute(p, y, 1, 0, gradient);
            exactMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds / exactIterations;
        }
        // The same majority vote of the 10 nearest as on the map, in the full space (cosine, exact neighbours).
        var full = MapNeighbourhoods.KnnAccuracy(NearestNeighbours.Find(x, Math.Min(n - 1, 10)).Index, labels);
        return new Result(n, d, Environment.ProcessorCount, iterations, full, exactMs, layouts, CpuName());
    }

    private static string Name(TsneRepulsion r) => r == TsneRepulsion.BarnesHut ? "barnes-hut" : "interpolation";

    /// <summary>Clusters of unequal spread around random centres: a stand-in for a library's styles.</summary>
    private static (List<float[]>, int[]) Clusters(int n, int d, int classes, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToList();
        var x = new List<float[]>(n);
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % classes;
            var spread = 1.5f + 0.25f * (labels[i] % 5);
            x.Add(centres[labels[i]].Select(c => c + spread * ((float)random.NextDouble() - 0.5f)).ToArray());
        }
        return (x, labels);
    }

    private static string CpuName() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    private static void Print(Result r)
    {
        Console.WriteLine($"{r.Points} vectors × {r.Dimensions} dimensions, 20 clusters; {r.Cpu}, {r.Threads} cores; {r.Iterations} iterations");
        var table = new Table().AddColumns("repulsion", "neighbours, affinities, PCA", "per iteration", "whole layout", "KL", "kNN@10 on the map");
        foreach (var l in r.Layouts)
            table.AddRow(l.Repulsion, S(l.NeighboursSeconds), Ms(l.IterationMs), S(l.Seconds), l.Kl.ToString("0.000", CultureInfo.InvariantCulture),
                l.Knn10Map.ToString("0.000", CultureInfo.InvariantCulture));
        if (double.IsFinite(r.ExactIterationMs))
            table.AddRow("exact (extrapolated)", "", Ms(r.ExactIterationMs), S(r.ExactIterationMs * r.Iterations / 1000), "", "");
        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kNN@10 in the full space {r.Knn10Full:0.000}"));
    }

    private static string S(double s) => double.IsFinite(s) ? s.ToString("0.0 's'", CultureInfo.InvariantCulture) : "-";
    private static string Ms(double ms) => double.IsFinite(ms) ? ms.ToString("0.0 'ms'", CultureInfo.InvariantCulture) : "-";
}
