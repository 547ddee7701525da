using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class AdjustedRandIndexTests
{
    [Fact]
    public void IdenticalPartitionsUpToRenamingGiveOne()
    {
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]), 12);
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 1, 1], [1, 1, 0, 0]), 12);
    }

    [Fact]
    public void ScikitLearnDocumentedExampleGivesFourSevenths()
    {
        // Hand count: Σ C(n_ij,2) = 1, Σ C(a_i,2) = 1, Σ C(b_j,2) = 2, C(4,2) = 6
        // → (1 − 1·2/6) / (½(1 + 2) − 1·2/6) = (2/3) / (7/6) = 4/7 ≈ 0.57 (the value in scikit-learn's docs).
        Assert.Equal(4.0 / 7.0, AdjustedRandIndex.Compute([0, 0, 1, 2], [0, 0, 1, 1]), 12);
        Assert.Equal(4.0 / 7.0, AdjustedRandIndex.Compute([0, 0, 1, 1], [0, 0, 1, 2]), 12);
    }

    [Fact]
    public void OneClusterAgainstSingletonsGivesZero() =>
        Assert.Equal(0.0, AdjustedRandIndex.Compute([0, 0, 0, 0], [0, 1, 2, 3]), 12);

    [Fact]
    public void MaximallyDiscordantSplitGivesMinusOneHalf() =>
        // index 0, expected (2·2)/6, maximum 2 → (0 − 2/3)/(2 − 2/3) = −1/2.
        Assert.Equal(-0.5, AdjustedRandIndex.Compute([0, 0, 1, 1], [0, 1, 0, 1]), 12);

    [Fact]
    public void DegenerateOneClusterBothSidesGivesOne() =>
        Assert.Equal(1.0, AdjustedRandIndex.Compute([3, 3, 3], [5, 5, 5]));

    [Fact]
    public void MatchesPairCountingOnRandomLabelings()
    {
        var random = new Random(1);
        for (var trial = 0; trial < 5; trial++)
        {
            var truth = Enumerable.Range(0, 60).Select(_ => random.Next(4)).ToArray();
            var predicted = truth.Select(t => random.NextDouble() < 0.6 ? t : random.Next(5)).ToArray();
            Assert.Equal(PairCountingAri(truth, predicted), AdjustedRandIndex.Compute(truth, predicted), 10);
        }
    }

    [Fact]
    public void IndependentLabelingsGiveNearZero()
    {
        var random = new Random(2);
        var truth = Enumerable.Range(0, 3000).Select(_ => random.Next(5)).ToArray();
        var predicted = Enumerable.Range(0, 3000).Select(_ => random.Next(5)).ToArray();
        Assert.InRange(AdjustedRandIndex.Compute(truth, predicted), -0.01, 0.01);
    }

    // Independent formula: over all pairs, tp = together in both, tn = apart in both, fp/fn = mixed;
    // ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)).
    private static double PairCountingAri(int[] truth, int[] predicted)
    {
        double tp = 0, tn = 0, fp = 0, fn = 0;
        for (var i = 0; i < truth.Length; i++)
        for (var j = i + 1; j < truth.Length; j++)
        {
            bool sameTruth = truth[i] == truth[j], samePredicted = predicted[i] == predicted[j];
            if (sameTruth && samePredicted) tp++;
            else if (!sameTruth && !samePredicted) tn++;
            else if (samePredicted) fp++;
            else fn++;
        }
        return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    }
}
