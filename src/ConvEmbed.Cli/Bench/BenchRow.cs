namespace ConvEmbed.Cli.Bench;

/// <summary>One evaluation of one training run (of one seed) at one mark; a collapsed run's later marks hold NaN.
/// <see cref="Knn20Standardised"/> and <see cref="AmiStandardised"/> score the same embeddings with each dimension
/// standardised by the training pool's mean and std (as the MFCC baseline is standardised), NaN when not measured.
/// The read-outs of the same checkpoint (docs/method.md#read-outs), NaN when not measured: <see cref="Knn20Whitened"/>
/// and <see cref="AmiWhitened"/> after PCA whitening fitted on the pool, <see cref="Knn20Hubness"/> with neighbours
/// ranked by the hubness-corrected score, <see cref="Knn20MeanStd"/> and <see cref="AmiMeanStd"/> of mean ⊕ std over
/// positions, <see cref="Knn20Pre"/> and <see cref="AmiPre"/> of the features before the last layer's projection,
/// <see cref="Knn20LastTwo"/> and <see cref="AmiLastTwo"/> of the last two layers' means together,
/// <see cref="Knn20WhitenedWindows"/> and <see cref="AmiWhitenedWindows"/> after PCA whitening (shrinkage 1) fitted on
/// the pool tracks' window vectors (many more vectors than tracks), <see cref="Knn20WhitenedWindowsFull"/> and
/// <see cref="AmiWhitenedWindowsFull"/> the same without shrinkage.</summary>
public sealed record BenchRow(
    string Objective, double Minutes, double Knn10, double Knn20, double Ami, double Ari,
    double StepsPerS, double WindowsPerS, int Step, double EmbeddingStd, bool Collapsed = false, int Seed = 0,
    double Knn20Standardised = double.NaN, double AmiStandardised = double.NaN,
    double Knn20Whitened = double.NaN, double AmiWhitened = double.NaN, double Knn20Hubness = double.NaN,
    double Knn20MeanStd = double.NaN, double AmiMeanStd = double.NaN,
    double Knn20Pre = double.NaN, double AmiPre = double.NaN, double Knn20LastTwo = double.NaN, double AmiLastTwo = double.NaN,
    double Knn20WhitenedWindows = double.NaN, double AmiWhitenedWindows = double.NaN,
    double Knn20WhitenedWindowsFull = double.NaN, double AmiWhitenedWindowsFull = double.NaN);
