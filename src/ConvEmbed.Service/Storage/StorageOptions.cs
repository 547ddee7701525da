namespace ConvEmbed.Service.Storage;

/// <summary>Where the service keeps files. Bound from <c>ConvEmbed:Storage</c>; empty folders take the defaults below.</summary>
public sealed record StorageOptions
{
    public const string Section = "ConvEmbed:Storage";

    /// <summary>Root of the service's files. Empty: <c>.data/service</c> of the source tree the service runs from
    /// (the folder the deploy scripts use), else <c>data</c> next to the application.</summary>
    public string DataDirectory { get; init; } = "";

    /// <summary>Original uploads, content-addressed (<c>ab/cd/{sha256}</c>). Empty: <c>{DataDirectory}/blobs</c>.</summary>
    public string BlobDirectory { get; init; } = "";

    /// <summary>Log-mel cache (<c>{sha256}.mel</c>). Empty: <c>{DataDirectory}/features</c>.</summary>
    public string FeatureCacheDirectory { get; init; } = "";

    /// <summary>Trained model folders. Empty: <c>{DataDirectory}/models</c>.</summary>
    public string ModelDirectory { get; init; } = "";

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { (nameof(DataDirectory), DataDirectory), (nameof(BlobDirectory), BlobDirectory),
                     (nameof(FeatureCacheDirectory), FeatureCacheDirectory), (nameof(ModelDirectory), ModelDirectory) })
            if (value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
                yield return $"{Section}:{name} is not a valid path: '{value}'.";
    }
}
