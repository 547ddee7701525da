using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;
using ConvEmbed.Cli.Library;
using ConvEmbed.Cli.Training;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli.Bench;

/// <summary>
/// A labelled library for the training benchmarks (labels = first folder level, used only to evaluate). As in
/// docs/method.md#protocol-of-bench-objectives, training samples from a fixed 80 % of the tracks and evaluation embeds every track.
/// </summary>
public sealed class BenchLibrary : IDisposable
{
    private readonly AudioLibrary library;

    private BenchLibrary(AudioLibrary library, int seed)
    {
        this.library = library;
        Labels = library.Tracks.Select(t => t.Label).ToList();
        var distinct = Labels.Distinct().Count();
        if (distinct < 2) throw new CliError($"the benchmark needs tracks in at least 2 label folders under {library.Root} (found {distinct})");
        Mels = library.Tracks.Select(t => t.Features.ReadAll()).ToList();
        Normalisation = Model.Data.Normalisation.Of(library.Tracks.Select(t => t.Features));
        var order = Enumerable.Range(0, library.Tracks.Count).ToArray();
        new System.Random(seed).Shuffle(order);
        PoolIndices = order.Take((int)Math.Round(0.8 * order.Length)).Order().ToList();
        Pool = PoolIndices.Select(i => library.Tracks[i].Features).ToList();
    }

    /// <summary>Which of <see cref="Mels"/> the training pool holds.</summary>
    public IReadOnlyList<int> PoolIndices { get; }

    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<LogMel> Mels { get; }
    public IReadOnlyList<CachedLogMel> Pool { get; }
    public NormalisationConfig Normalisation { get; }
    public int LabelCount => Labels.Distinct().Count();

    public static async Task<BenchLibrary> LoadAsync(string folder, string? cache, int seed, CancellationToken ct) =>
        new(await LibraryLoader.LoadAsync(folder, cache, ct), seed);

    public EmbeddingMetrics Evaluate(Encoder encoder, int windowFrames) => Evaluate(Embed(encoder, windowFrames));

    /// <summary>Every track's embedding by <paramref name="encoder"/>.</summary>
    public List<float[]> Embed(Encoder encoder, int windowFrames)
    {
        var embedder = new TrackEmbedder(encoder, Normalisation, windowFrames);
        return Mels.Select(embedder.Embed).ToList();
    }

    /// <summary>Every track's read-outs (plain, mean ⊕ std, before the projection, last two layers), from one pass of
    /// <paramref name="encoder"/>.</summary>
    public List<TrackEmbedder.ReadOuts> EmbedReadOuts(Encoder encoder, int windowFrames)
    {
        var embedder = new TrackEmbedder(encoder, Normalisation, windowFrames);
        return Mels.Select(embedder.EmbedReadOuts).ToList();
    }

    /// <summary>PCA whitening fitted on the training pool's (normalised) embeddings, applied to every track; shrinkage 1
    /// by default, because a pool of a few hundred tracks barely spans 256 dimensions (<see cref="PcaWhitening"/>).</summary>
    public List<float[]> WhitenByPool(IReadOnlyList<float[]> embeddings, double shrinkage = 1.0)
    {
        var normalised = EmbeddingNormalisation.Normalise(embeddings);
        var whitening = PcaWhitening.Fit(PoolIndices.Select(i => normalised[i]).ToList(), shrinkage);
        return normalised.Select(v => whitening.Apply(v)).ToList();
    }

    /// <summary>PCA whitening fitted on the window vectors of the training pool's tracks (tens per track, so the fit sees
    /// many more vectors than dimensions), applied to every track's (normalised) vector.</summary>
    public List<float[]> WhitenByPoolWindows(IReadOnlyList<TrackEmbedder.ReadOuts> readOuts, double shrinkage)
    {
        var whitening = PcaWhitening.Fit(PoolIndices.SelectMany(i => readOuts[i].Windows).ToList(), shrinkage);
        return readOuts.Select(r => whitening.Apply(r.Plain)).ToList();
    }

    /// <summary>Leave-one-out kNN@20 with hubness-corrected neighbours.</summary>
    public double HubnessCorrectedKnn20(IReadOnlyList<float[]> embeddings) =>
        new EmbeddingEvaluator(new EvaluationOptions()).HubnessCorrectedKnn20(embeddings, Labels);

    /// <summary>The embeddings with each dimension standardised by the training pool's mean and std: what a model could
    /// store at the end of training and apply to every track it embeds (no evaluation track's statistics are used).</summary>
    public float[][] StandardiseByPool(IReadOnlyList<float[]> embeddings) => Model.Evaluation.MfccStatistics.Standardise(embeddings, PoolIndices);

    /// <summary>The MFCC statistics baseline's vectors, standardised (docs/method.md#mfcc-statistics).</summary>
    public float[][] MfccStatistics() =>
        Model.Evaluation.MfccStatistics.Standardise(Mels.Select(m => Model.Evaluation.MfccStatistics.Compute(m.Values, m.Bands, m.Frames)).ToList());

    public EmbeddingMetrics Evaluate(IReadOnlyList<float[]> embeddings) => new EmbeddingEvaluator(new EvaluationOptions()).Evaluate(embeddings, Labels);

    /// <summary>Trains <paramref name="spec"/> for the budget in <paramref name="options"/>, evaluating at each mark (outside the
    /// budget); <paramref name="augmentation"/> defaults to the trainer's usual one for this library's normalisation.</summary>
    public List<BenchRow> TrainAndEvaluate(RunSpec spec, TrainingOptions options, IReadOnlyList<double> marks, string label, Augmentation? augmentation = null,
        bool distinctTracks = false)
    {
        var rows = new List<BenchRow>();
        using var objective = spec.Create(options.Seed);
        using var trainer = new Trainer(objective, new WindowSampler(Pool, Normalisation) { DistinctTracks = distinctTracks },
            augmentation ?? new Augmentation(Normalisation.Std), options);
        var line = new ProgressLine(label, TimeSpan.FromSeconds(15));
        try
        {
            trainer.Run(new Synchronous<TrainingProgress>(p => line.Report(p)), marks, mark =>
            {
                var readOuts = EmbedReadOuts(objective.EmbeddingEncoder, options.WindowFrames);
                var embeddings = readOuts.Select(r => r.Plain).ToList();
                var m = Evaluate(embeddings);
                var s = Evaluate(StandardiseByPool(embeddings));
                var w = Evaluate(WhitenByPool(embeddings));
                var hub = HubnessCorrectedKnn20(embeddings);
                var ms = Evaluate(readOuts.Select(r => r.MeanStd).ToList());
                var pre = Evaluate(readOuts.Select(r => r.BeforeProjection).ToList());
                var two = Evaluate(readOuts.Select(r => r.LastTwo).ToList());
                var ww = Evaluate(WhitenByPoolWindows(readOuts, 1.0));
                var wf = Evaluate(WhitenByPoolWindows(readOuts, 0.0));
                var last = trainer.Last!;
                rows.Add(new BenchRow(label, mark, m.Knn10, m.Knn20, m.Ami, m.Ari, last.StepsPerSecond, last.WindowsPerSecond, last.Step, m.EmbeddingStd,
                    Seed: options.Seed, Knn20Standardised: s.Knn20, AmiStandardised: s.Ami, Knn20Whitened: w.Knn20, AmiWhitened: w.Ami,
                    Knn20Hubness: hub, Knn20MeanStd: ms.Knn20, AmiMeanStd: ms.Ami, Knn20Pre: pre.Knn20, AmiPre: pre.Ami, Knn20LastTwo: two.Knn20, AmiLastTwo: two.Ami,
                    Knn20WhitenedWindows: ww.Knn20, AmiWhitenedWindows: ww.Ami, Knn20WhitenedWindowsFull: wf.Knn20, AmiWhitenedWindowsFull: wf.Ami));
                Stderr.Line($"{label} at {mark:0.##} min (step {last.Step}): kNN@20 {m.Knn20:0.000}  AMI {m.Ami:0.000}  ARI {m.Ari:0.000}" +
                            $"  (standardised by the pool: kNN@20 {s.Knn20:0.000}  AMI {s.Ami:0.000}; whitened: {w.Knn20:0.000} / {w.Ami:0.000};" +
                            $" hubness-corrected kNN@20 {hub:0.000}; mean⊕std: {ms.Knn20:0.000} / {ms.Ami:0.000};" +
                            $" before the projection: {pre.Knn20:0.000} / {pre.Ami:0.000}; last two layers: {two.Knn20:0.000} / {two.Ami:0.000};" +
                            $" whitened by windows: {ww.Knn20:0.000} / {ww.Ami:0.000}, without shrinkage {wf.Knn20:0.000} / {wf.Ami:0.000})");
            });
        }
        catch (TrainingCollapsedException e)
        {
            Stderr.Line($"{label}: {e.Message}");
            foreach (var mark in marks.Where(m => rows.All(r => r.Minutes != m)))
                rows.Add(new BenchRow(label, mark, double.NaN, double.NaN, double.NaN, double.NaN, trainer.Last?.StepsPerSecond ?? 0,
                    trainer.Last?.WindowsPerSecond ?? 0, trainer.Step, 0, Collapsed: true, Seed: options.Seed));
        }
        return rows;
    }

    public void Dispose() => library.Dispose();
}
