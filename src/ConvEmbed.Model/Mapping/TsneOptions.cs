namespace ConvEmbed.Model.Mapping;

/// <summary>
/// Settings of <see cref="Tsne"/>. Defaults follow van der Maaten (2014) and openTSNE: perplexity 30, early
/// exaggeration 12 for 250 iterations, then 500 more; the learning rate "auto" is max(N / exaggeration / 4, 50)
/// (Belkina et al. 2019), which keeps large maps from converging too slowly.
/// </summary>
public sealed record TsneOptions
{
    public double Perplexity { get; init; } = 30;
    public int ExaggerationIterations { get; init; } = 250;
    public double Exaggeration { get; init; } = 12;
    public int Iterations { get; init; } = 750;
    /// <summary>Barnes-Hut accuracy: a cell is summarised when its width / distance &lt; θ; 0 computes every pair (O(N²)).</summary>
    public double Theta { get; init; } = 0.5;
    /// <summary>Null for "auto".</summary>
    public double? LearningRate { get; init; }
    public int Seed { get; init; }

    public IEnumerable<string> Problems()
    {
        if (Perplexity is < 1 or > 500) yield return $"perplexity must be between 1 and 500 (was {Perplexity})";
        if (Iterations < 1) yield return $"iterations must be at least 1 (was {Iterations})";
        if (ExaggerationIterations < 0 || ExaggerationIterations > Iterations)
            yield return $"exaggeration iterations must be between 0 and the iterations ({Iterations}; was {ExaggerationIterations})";
        if (Exaggeration < 1) yield return $"exaggeration must be at least 1 (was {Exaggeration})";
        if (Theta is < 0 or > 1.5) yield return $"theta must be between 0 and 1.5 (was {Theta})";
        if (LearningRate is <= 0) yield return $"learning rate must be positive (was {LearningRate})";
    }

    public double LearningRateFor(int points) => LearningRate ?? Math.Max(points / Exaggeration / 4, 50);
}
