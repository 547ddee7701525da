namespace ConvEmbed.Cli.Bench;

/// <summary>One evaluation of one training run at one mark.</summary>
public sealed record BenchRow(
    string Objective, double Minutes, double Knn10, double Knn20, double Ami, double Ari,
    double StepsPerS, double WindowsPerS, int Step, double EmbeddingStd, bool Collapsed = false);
