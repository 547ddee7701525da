namespace ConvEmbed.Service.Map;

/// <summary>The library map's layout (t-SNE of the active model's vectors). Bound from <c>ConvEmbed:Map</c>.</summary>
public sealed record MapOptions
{
    public const string Section = "ConvEmbed:Map";

    /// <summary>Whether this instance computes layouts (any instance may; they take turns through an advisory lock).</summary>
    public bool WorkerEnabled { get; init; } = true;

    /// <summary>How often the worker checks whether the active model's map is missing tracks.</summary>
    public double CheckSeconds { get; init; } = 3;

    /// <summary>After a layout, new uploads wait at least this long before the map is recomputed with them.</summary>
    public double RefreshSeconds { get; init; } = 30;

    /// <summary>t-SNE's perplexity (capped at (N − 1) / 3 for small libraries).</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Gradient-descent iterations (the first 250 with early exaggeration).</summary>
    public int Iterations { get; init; } = 750;

    /// <summary>Barnes-Hut accuracy θ (0 = exact, O(N²) per iteration).</summary>
    public double Theta { get; init; } = 0.5;

    public IEnumerable<string> Validate()
    {
        if (CheckSeconds is <= 0 or > 3600) yield return $"{Section}:CheckSeconds must be in (0, 3600] (was {CheckSeconds}).";
        if (RefreshSeconds < 0) yield return $"{Section}:RefreshSeconds must not be negative (was {RefreshSeconds}).";
        foreach (var problem in ToTsne().Problems()) yield return $"{Section}: {problem}.";
    }

    public ConvEmbed.Model.Mapping.TsneOptions ToTsne() => new()
    {
        Perplexity = Perplexity,
        Iterations = Iterations,
        ExaggerationIterations = Math.Min(250, Iterations),
        Theta = Theta,
    };
}
