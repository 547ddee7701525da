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
    /// <summary>How the repulsion is summed: <see cref="TsneRepulsion.Auto"/> picks Barnes-Hut below
    /// <see cref="InterpolationFrom"/> points and grid interpolation from there.</summary>
    public TsneRepulsion Repulsion { get; init; } = TsneRepulsion.Auto;
    /// <remarks>20 000: where the two cross here (`convembed bench tsne`, 80-d, 2-core AMD EPYC: 19.5 vs 43.3 ms per
    /// iteration at 10 000 points, 90.3 vs 74.0 ms at 30 000).</remarks>
    public int InterpolationFrom { get; init; } = 20_000;
    public int Seed { get; init; }

    public IEnumerable<string> Problems()
    {
        if (InterpolationFrom < 2) yield return $"the size from which the repulsion is interpolated must be at least 2 (was {InterpolationFrom})";
        if (Perplexity is < 1 or > 500) yield return $"perplexity must be between 1 and 500 (was {Perplexity})";
        if (Iterations < 1) yield return $"iterations must be at least 1 (was {Iterations})";
        if (ExaggerationIterations < 0 || ExaggerationIterations > Iterations)
            yield return $"exaggeration iterations must be between 0 and the iterations ({Iterations}; was {ExaggerationIterations})";
        if (Exaggeration < 1) yield return $"exaggeration must be at least 1 (was {Exaggeration})";
        if (Theta is < 0 or > 1.5) yield return $"theta must be between 0 and 1.5 (was {Theta})";
        if (LearningRate is <= 0) yield return $"learning rate must be positive (was {LearningRate})";
    }

    public bool Interpolates(int points) =>
        Repulsion == TsneRepulsion.Interpolation || (Repulsion == TsneRepulsion.Auto && points >= InterpolationFrom);

    public double LearningRateFor(int points) => LearningRate ?? Math.Max(points / Exaggeration / 4, 50);
}

public enum TsneRepulsion
{
    Auto,
    /// <summary>A quadtree, O(N log N) per iteration (<see cref="TsneOptions.Theta"/>; θ = 0 sums every pair).</summary>
    BarnesHut,
    /// <summary>Polynomial interpolation on a grid and an FFT convolution, O(N) per iteration (<see cref="InterpolatedRepulsion"/>).</summary>
    Interpolation,
}
