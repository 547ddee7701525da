namespace ConvEmbed.Service.Processing;

/// <summary>How much decoding and embedding runs at once. Bound from <c>ConvEmbed:Processing</c>.</summary>
public sealed record ProcessingOptions
{
    public const string Section = "ConvEmbed:Processing";

    /// <summary>Decode + embed jobs running at once; further requests wait their turn. Default: the number of cores.</summary>
    public int MaxConcurrency { get; init; } = Environment.ProcessorCount;

    public IEnumerable<string> Validate()
    {
        if (MaxConcurrency is < 1 or > 256) yield return $"{Section}:MaxConcurrency must be between 1 and 256 (was {MaxConcurrency}).";
    }
}
