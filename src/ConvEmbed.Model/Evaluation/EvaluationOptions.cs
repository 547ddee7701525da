namespace ConvEmbed.Model.Evaluation;

/// <summary>Settings of <see cref="EmbeddingEvaluator"/>; the defaults are those of docs/method.md#evaluation.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Temperature T of the kNN vote weights exp(s/T).</summary>
    public double KnnTemperature { get; init; } = WeightedKnnClassifier.DefaultTemperature;

    /// <summary>k-means restarts; the one of lowest inertia is kept.</summary>
    public int KMeansRestarts { get; init; } = 10;

    /// <summary>Seed of the k-means initialisation.</summary>
    public int Seed { get; init; }

    public void Validate()
    {
        if (!(KnnTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(KnnTemperature), KnnTemperature, "must be positive");
        if (KMeansRestarts < 1) throw new ArgumentOutOfRangeException(nameof(KMeansRestarts), KMeansRestarts, "must be at least 1");
    }
}
