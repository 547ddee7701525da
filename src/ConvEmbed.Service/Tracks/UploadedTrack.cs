namespace ConvEmbed.Service.Tracks;

/// <summary>The answer to an upload: the stored track, with the model that embedded it and its vector.</summary>
public sealed record UploadedTrack : Track
{
    public UploadedTrack(Track track, long modelId, float[] embedding) : base(track)
    {
        ModelId = modelId;
        Embedding = embedding;
    }

    /// <summary>The active model that computed <see cref="Embedding"/>.<example>1</example></summary>
    public long ModelId { get; init; }

    /// <summary>ℓ2-normalised embedding (80 values for the bootstrap model).</summary>
    public float[] Embedding { get; init; }
}
