namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// How well embeddings separate the labels (docs/method.md#evaluation): leave-one-out weighted kNN accuracy at k = 10
/// and 20, AMI and ARI of k-means with k = number of labels, the number of tracks and labels, and the mean
/// per-dimension std of the ℓ2-normalised embeddings (the collapse monitor's measure; near 0 = collapse).
/// </summary>
public sealed record EmbeddingMetrics(
    double Knn10,
    double Knn20,
    double Ami,
    double Ari,
    int Tracks,
    int Labels,
    double EmbeddingStd);
