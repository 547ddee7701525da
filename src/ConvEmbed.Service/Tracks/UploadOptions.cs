namespace ConvEmbed.Service.Tracks;

/// <summary>Limits of audio uploads (<c>POST /tracks</c>, <c>POST /search</c>). Bound from <c>ConvEmbed:Uploads</c>.</summary>
public sealed record UploadOptions
{
    public const string Section = "ConvEmbed:Uploads";

    /// <summary>Largest accepted file; a larger body is refused with 413 while it streams.</summary>
    public long MaxBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>Uploads one client (by remote address) may have running at once.</summary>
    public int PerClientConcurrency { get; init; } = 4;

    /// <summary>Uploads of one client that wait for a free slot; beyond that, 429 with Retry-After.</summary>
    public int PerClientQueue { get; init; } = 16;

    public IEnumerable<string> Validate()
    {
        if (MaxBytes < 1024) yield return $"{Section}:MaxBytes must be at least 1024 (was {MaxBytes}).";
        if (PerClientConcurrency < 1) yield return $"{Section}:PerClientConcurrency must be at least 1 (was {PerClientConcurrency}).";
        if (PerClientQueue < 0) yield return $"{Section}:PerClientQueue must not be negative (was {PerClientQueue}).";
    }
}
