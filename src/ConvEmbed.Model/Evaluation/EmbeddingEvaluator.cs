namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Computes <see cref="EmbeddingMetrics"/> for one embedding per track and its label, as docs/method.md#evaluation
/// describes: embeddings are ℓ2-normalised, then kNN (k = 10, 20) on cosine similarity, and k-means
/// (k = number of labels) on the normalised vectors scored by AMI and ARI against the labels.
/// Labels are used here and nowhere in training.
/// </summary>
public sealed class EmbeddingEvaluator
{
    private readonly EvaluationOptions _options;

    public EmbeddingEvaluator(EvaluationOptions? options = null)
    {
        _options = options ?? new EvaluationOptions();
        _options.Validate();
    }

    public EmbeddingMetrics Evaluate(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        Validate(embeddings, labels);

        var classes = new ClassIndex(labels);
        var normalised = EmbeddingNormalisation.Normalise(embeddings);
        var knn = new WeightedKnnClassifier(normalised, classes.Indices, maxK: 20, _options.KnnTemperature);
        var clustering = new KMeansClustering(classes.Names.Count, _options.KMeansRestarts, _options.Seed).Fit(normalised);
        var table = new ContingencyTable(classes.Indices, clustering.Assignments);

        return new EmbeddingMetrics(
            Knn10: knn.LeaveOneOutAccuracy(10),
            Knn20: knn.LeaveOneOutAccuracy(20),
            Ami: AdjustedMutualInformation.Compute(table),
            Ari: AdjustedRandIndex.Compute(table),
            Tracks: embeddings.Count,
            Labels: classes.Names.Count,
            EmbeddingStd: EmbeddingNormalisation.MeanDimensionStd(normalised));
    }

    /// <summary>Leave-one-out weighted kNN@20 with neighbours ranked by the hubness-corrected score
    /// (<see cref="Embeddings.HubnessCorrection"/>, r over the <paramref name="neighbours"/> nearest).</summary>
    public double HubnessCorrectedKnn20(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels, int neighbours = Embeddings.HubnessCorrection.Neighbours)
    {
        Validate(embeddings, labels);
        var normalised = EmbeddingNormalisation.Normalise(embeddings);
        var r = Embeddings.HubnessCorrection.NeighbourhoodSimilarity(normalised, neighbours);
        return new WeightedKnnClassifier(normalised, new ClassIndex(labels).Indices, maxK: 20, _options.KnnTemperature, r).LeaveOneOutAccuracy(20);
    }

    private static void Validate(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels)
    {
        if (embeddings.Count != labels.Count)
            throw new ArgumentException($"{embeddings.Count} embeddings but {labels.Count} labels");
        if (embeddings.Count < 2)
            throw new ArgumentException($"evaluation needs at least two tracks, got {embeddings.Count}");
        var dimension = embeddings[0]?.Length ?? 0;
        if (dimension == 0) throw new ArgumentException("embedding 0 is empty");
        for (var i = 0; i < embeddings.Count; i++)
        {
            var e = embeddings[i] ?? throw new ArgumentException($"embedding {i} is missing");
            if (e.Length != dimension)
                throw new ArgumentException($"embedding {i} has {e.Length} values, embedding 0 has {dimension}");
            if (!e.All(float.IsFinite)) throw new ArgumentException($"embedding {i} has a non-finite value");
            if (string.IsNullOrEmpty(labels[i])) throw new ArgumentException($"label {i} is empty");
        }
    }
}
