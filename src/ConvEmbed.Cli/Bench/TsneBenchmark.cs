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
/// with Barnes-Hut t-SNE (the service's choice) — timed per phase — and the exact O(N²) gradient is timed over a few
/// iterations to give its cost per layout. Also prints how well the map keeps the clusters (2-D kNN vs full space).
/// </summary>
public static class TsneBenchmark
{
    public sealed record Result(int Points, int Dimensions, int Threads, double NeighboursSeconds, double BarnesHutSeconds,
        double BarnesHutIterationMs, double ExactIterationMs, double ExactLayoutSeconds, int Iterations, double Kl,
        double Knn10Full, double Knn10Map, string Cpu);

    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Vectors in the synthetic library.", DefaultValueFactory = _ => 10_000 };
        var dimensions = new Option<int>("--dimensions") { Description = "Their dimension (the default encoder's is 256).", DefaultValueFactory = _ => 256 };
        var exactIterations = new Option<int>("--exact-iterations") { Description = "Exact-gradient iterations to time (0 skips).", DefaultValueFactory = _ => 3 };
        var threads = TrainingCliOptions.Threads();
        var json = TrainingCliOptions.Json();
        var command = new Command("tsne", "Time the library map's t-SNE (Barnes-Hut, as the service runs it) against the exact gradient on a synthetic library.")
        {
            points, dimensions, exactIterations, threads, json,
        };
        OptionChecks.Must(points, v => v >= 50, "must be at least 50");
        OptionChecks.Must(dimensions, v => v >= 2, "must be at least 2");
        OptionChecks.Must(exactIterations, v => v >= 0, "must not be negative");
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            var result = Run(parse.GetValue(points), parse.GetValue(dimensions), parse.GetValue(exactIterations));
            Print(result);
            BenchmarkJson.Write(parse.GetValue(json), result);
            return 0;
        });
        return command;
    }

    public static Result Run(int n, int d, int exactIterations)
    {
        var (x, labels) = Clusters(n, d, classes: 20, seed: 0);
        var options = new TsneOptions();
        var phases = new Dictionary<string, long>();
        var started = Stopwatch.GetTimestamp();
        var tsne = new Tsne(options);
        var map = tsne.Fit(x, new Synchronous<TsneProgress>(p => phases.TryAdd(p.Phase, Stopwatch.GetTimestamp())));
        var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var neighbours = phases.TryGetValue("optimising", out var opt) && phases.TryGetValue("neighbours", out var nb)
            ? Stopwatch.GetElapsedTime(nb, opt).TotalSeconds : double.NaN;
        var iterationMs = (total - neighbours) * 1000 / options.Iterations;

        var exactMs = double.NaN;
        if (exactIterations > 0)
        {
            var (index, distance2) = NearestNeighbours.Find(x, Math.Min(n - 1, 90));
            var p = InputAffinities.FromNeighbours(index, distance2, 30);
            var y = map.SelectMany(m => new double[] { m.X, m.Y }).ToArray();
            var gradient = new double[y.Length];
            var clock = Stopwatch.GetTimestamp();
            for (var i = 0; i < exactIterations; i++) TsneGradient.Compute(p, y, 1, 0, gradient);
            exactMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds / exactIterations;
        }
        var full = new WeightedKnnClassifier(x, labels, 10).LeaveOneOutAccuracy(10);
        var plane = MapNeighbourhoods.KnnAccuracy(map, labels, 10);
        return new Result(n, d, Environment.ProcessorCount, neighbours, total, iterationMs, exactMs,
            exactMs * options.Iterations / 1000 + neighbours, options.Iterations, tsne.KullbackLeibler, full, plane, CpuName());
    }

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
        var table = new Table().AddColumns("", "neighbours, affinities, PCA", "per iteration", "whole layout");
        table.AddRow("Barnes-Hut θ 0.5", S(r.NeighboursSeconds), Ms(r.BarnesHutIterationMs), S(r.BarnesHutSeconds));
        table.AddRow("exact (extrapolated)", S(r.NeighboursSeconds), Ms(r.ExactIterationMs), S(r.ExactLayoutSeconds));
        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exact / Barnes-Hut per iteration = {r.ExactIterationMs / r.BarnesHutIterationMs:0.0}×; KL {r.Kl:0.000}; kNN@10 full space {r.Knn10Full:0.000}, on the map {r.Knn10Map:0.000}"));
    }

    private static string S(double s) => double.IsFinite(s) ? s.ToString("0.0 's'", CultureInfo.InvariantCulture) : "-";
    private static string Ms(double ms) => double.IsFinite(ms) ? ms.ToString("0.0 'ms'", CultureInfo.InvariantCulture) : "-";
}
