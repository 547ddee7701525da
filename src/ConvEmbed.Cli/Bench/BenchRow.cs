namespace ConvEmbed.Cli.Bench;

/// <summary>One evaluation of one training run (of one seed) at one mark; a collapsed run's later marks hold NaN.</summary>
public sealed record BenchRow(
    string Objective, double Minutes, double Knn10, double Knn20, double Ami, double Ari,
    double StepsPerS, double WindowsPerS, int Step, double EmbeddingStd, bool Collapsed = false, int Seed = 0);
