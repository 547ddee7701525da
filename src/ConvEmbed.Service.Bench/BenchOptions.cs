using System.Globalization;

namespace ConvEmbed.Service.Bench;

internal sealed record BenchOptions
{
    public string? Json { get; init; }
    public int Tracks { get; init; } = 40;
    public double TrackSeconds { get; init; } = 180;
    public int Concurrency { get; init; } = 4;
    public IReadOnlyList<int> Sizes { get; init; } = [10_000, 100_000];
    public int Queries { get; init; } = 500;
    public int RecallQueries { get; init; } = 200;
    /// <summary>Radios and sonic paths timed at each size (0: none).</summary>
    public int PlaylistQueries { get; init; } = 100;
    /// <summary>The map is measured at each of <see cref="Sizes"/>; t-SNE runs up to this many tracks (above it a stand-in layout).</summary>
    public int TsneMax { get; init; } = 10_000;
    public bool Map { get; init; } = true;
    /// <summary>At each size, also compare vector and halfvec HNSW indexes at these ef_search values (<see cref="IndexStudy"/>).</summary>
    public IReadOnlyList<int>? IndexStudy { get; init; }
    /// <summary>The index kinds the study builds (vector, halfvec).</summary>
    public IReadOnlyList<string> IndexKinds { get; init; } = ["vector", "halfvec"];
    /// <summary>HNSW build parameters for the study's indexes (e.g. "m = 24, ef_construction = 200"); null: the service's.</summary>
    public string? IndexBuild { get; init; }
    /// <summary>At the end, re-embed every track of the last size through the service's re-embedding path (<see cref="ReembedBenchmark"/>).</summary>
    public bool Reembed { get; init; }
    /// <summary>Passage search at this many tracks (<see cref="PassageBenchmark"/>); 0: not run.</summary>
    public int Passages { get; init; }
    /// <summary>Passages per synthetic track in the passage benchmark (160 ≈ a 4-minute track).</summary>
    public int PassagesPerTrack { get; init; } = 160;
    /// <summary>Off/on pairs of ingest rounds the passage benchmark compares (each into an empty library; 0: none).</summary>
    public int PassagesIngestRounds { get; init; } = 2;
    /// <summary>Settings of ConvEmbed:Passages:Candidates the passage searches are measured with (the first is the result).</summary>
    public IReadOnlyList<int> PassageCandidates { get; init; } = [200];
    /// <summary>The quality mode: a labelled folder (one subfolder per label) through the service, scored by label.</summary>
    public string? Quality { get; init; }
    /// <summary>The quality mode's retraining through the admin API, in minutes (0: score the bootstrap model only).</summary>
    public double QualityMinutes { get; init; } = 10;
    public string Chromium { get; init; } = Environment.GetEnvironmentVariable("CONVEMBED_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Default: the project's own cluster (deploy/postgres.sh), service database; the bench works in a scratch schema.</summary>
    public string Database { get; init; } = Environment.GetEnvironmentVariable("CONVEMBED_BENCH_DATABASE") is { Length: > 0 } fromEnv
        ? fromEnv
        : $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("CONVEMBED_PG_PORT") ?? "55432"};Database=convembed;Username=convembed;Password=convembed";

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                o = args[i] switch
                {
                    "--json" => o with { Json = Next() },
                    "--tracks" => o with { Tracks = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--track-seconds" => o with { TrackSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--concurrency" => o with { Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--sizes" => o with { Sizes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                    "--queries" => o with { Queries = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--recall-queries" => o with { RecallQueries = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--playlist-queries" => o with { PlaylistQueries = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--database" => o with { Database = Next() },
                    "--tsne-max" => o with { TsneMax = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--no-map" => o with { Map = false },
                    "--reembed" => o with { Reembed = true },
                    "--passages" => o with { Passages = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--passages-ingest-rounds" => o with { PassagesIngestRounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--passage-candidates" => o with { PassageCandidates = Next().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList() },
                    "--passages-per-track" => o with { PassagesPerTrack = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--index-kinds" => o with { IndexKinds = Next().Split(',') },
                    "--index-build" => o with { IndexBuild = Next() },
                    "--index-study" => o with { IndexStudy = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                    "--chromium" => o with { Chromium = Next() },
                    "--quality" => o with { Quality = Next() },
                    "--quality-minutes" => o with { QualityMinutes = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                Console.Error.WriteLine($"bench service: {e.Message}");
                return null;
            }
        }
        return o;
    }
}
