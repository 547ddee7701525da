namespace ConvEmbed.Cli.Bench;

/// <summary>One evaluation of one training run (of one seed) at one mark; a collapsed run's later marks hold NaN.
/// <see cref="Knn20Standardised"/> and <see cref="AmiStandardised"/> score the same embeddings with each dimension
/// standardised by the training pool's mean and std (as the MFCC baseline is standardised), NaN when not measured.</summary>
public sealed record BenchRow(
    string Objective, double Minutes, double Knn10, double Knn20, double Ami, double Ari,
    double StepsPerS, double WindowsPerS, int Step, double EmbeddingStd, bool Collapsed = false, int Seed = 0,
    double Knn20Standardised = double.NaN, double AmiStandardised = double.NaN);
