namespace ConvEmbed.Service.Tracks;

/// <summary>A track's vector in the active model.</summary>
/// <param name="TrackId">The track.<example>0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10</example></param>
/// <param name="ModelId">The active model.<example>1</example></param>
/// <param name="Dimension">Length of the vector.<example>80</example></param>
/// <param name="Embedding">ℓ2-normalised embedding.</param>
public sealed record TrackEmbeddingResponse(Guid TrackId, long ModelId, int Dimension, float[] Embedding);
