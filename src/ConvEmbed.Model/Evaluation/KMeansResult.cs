namespace ConvEmbed.Model.Evaluation;

/// <summary>The best of the k-means restarts: cluster of each point, centroids and their inertia Σ ‖x − μ_c(x)‖².</summary>
public sealed record KMeansResult(int[] Assignments, double[][] Centroids, double Inertia, int Iterations);
