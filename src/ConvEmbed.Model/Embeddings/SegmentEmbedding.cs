namespace ConvEmbed.Model.Embeddings;

/// <summary>The embedding of one window of a track, starting <paramref name="StartSeconds"/> into it.</summary>
public sealed record SegmentEmbedding(string Path, double StartSeconds, float[] Embedding);
