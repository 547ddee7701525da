using System.Text.Json.Serialization;

namespace ConvEmbed.Service.Tracks;

/// <summary>The answer to an upload: the stored track, with the model that embedded it and its vector.</summary>
public sealed record UploadedTrack : Track
{
    public UploadedTrack(Track track, long modelId, float[] embedding) : base(track)
    {
        ModelId = modelId;
        Embedding = embedding;
    }

    // After the track's own fields (a derived record's properties would come first), as the answer always read.
    /// <summary>The active model that computed <see cref="Embedding"/>.<example>1</example></summary>
    [JsonPropertyOrder(1)]
    public long ModelId { get; init; }

    /// <summary>ℓ2-normalised embedding (80 values for the bootstrap model).</summary>
    [JsonPropertyOrder(2)]
    public float[] Embedding { get; init; }
}
