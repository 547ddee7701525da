namespace ConvEmbed.Service.Map;

/// <summary>The library map's layout (t-SNE of the active model's vectors). Bound from <c>ConvEmbed:Map</c>.</summary>
public sealed record MapOptions
{
    public const string Section = "ConvEmbed:Map";

    /// <summary>Whether this instance computes layouts (any instance may; they take turns through an advisory lock).</summary>
    public bool WorkerEnabled { get; init; } = true;

    /// <summary>How often the worker checks whether the active model's map is missing tracks.</summary>
    public double CheckSeconds { get; init; } = 3;

    /// <summary>After a layout, at least this long (and at least four times the layout's own duration) passes before the
    /// map is laid out again with the tracks added since (they are on the map meanwhile, placed next to their neighbours).</summary>
    public double RefreshSeconds { get; init; } = 30;

    /// <summary>A re-layout starts from the current map (regions stay where they were) when the last full layout placed
    /// at least this many tracks and at least half of today's; smaller maps are laid out afresh.</summary>
    public int SettledFrom { get; init; } = 200;

    /// <summary>How many new tracks one check places (each is one index query).</summary>
    public const int PlacementBatch = 2000;

    /// <summary>t-SNE's perplexity (capped at (N − 1) / 3 for small libraries).</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Gradient-descent iterations (the first 250 with early exaggeration).</summary>
    public int Iterations { get; init; } = 750;

    /// <summary>Barnes-Hut accuracy θ (0 = exact, O(N²) per iteration).</summary>
    public double Theta { get; init; } = 0.5;

    /// <summary>From this many tracks the repulsion is interpolated on a grid with FFTs (O(N) per iteration) instead of
    /// Barnes-Hut (O(N log N)); below it Barnes-Hut is faster.</summary>
    public int InterpolationFrom { get; init; } = new ConvEmbed.Model.Mapping.TsneOptions().InterpolationFrom;

    public IEnumerable<string> Validate()
    {
        if (CheckSeconds is <= 0 or > 3600) yield return $"{Section}:CheckSeconds must be in (0, 3600] (was {CheckSeconds}).";
        if (RefreshSeconds < 0) yield return $"{Section}:RefreshSeconds must not be negative (was {RefreshSeconds}).";
        if (SettledFrom < 2) yield return $"{Section}:SettledFrom must be at least 2 (was {SettledFrom}).";
        foreach (var problem in ToTsne().Problems()) yield return $"{Section}: {problem}.";
    }

    public ConvEmbed.Model.Mapping.TsneOptions ToTsne() => new()
    {
        Perplexity = Perplexity,
        Iterations = Iterations,
        ExaggerationIterations = Math.Min(250, Iterations),
        Theta = Theta,
        InterpolationFrom = InterpolationFrom,
    };
}
