namespace ConvEmbed.Model.Embeddings;

/// <summary>One track's embedding and its path (relative to the folder that was embedded, '/'-separated).</summary>
public sealed record TrackEmbedding(string Path, float[] Embedding);
