using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class AdjustedMutualInformationTests
{
    [Fact]
    public void IdenticalPartitionsUpToRenamingGiveOne()
    {
        Assert.Equal(1.0, AdjustedMutualInformation.Compute([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2]), 10);
        Assert.Equal(1.0, AdjustedMutualInformation.Compute([1, 1, 2, 2], [2, 2, 3, 3]), 10);
    }

    [Fact]
    public void OneClusterAgainstSingletonsGivesZero() =>
        Assert.Equal(0.0, AdjustedMutualInformation.Compute([0, 0, 0, 0], [0, 1, 2, 3]), 12);

    [Fact]
    public void BothOneClusterGivesOne() =>
        Assert.Equal(1.0, AdjustedMutualInformation.Compute([7, 7, 7], [1, 1, 1]));

    [Fact]
    public void MutualInformationOfSmallTableMatchesHandCalculation()
    {
        // Cells (0,0)=2, (1,0)=1, (1,1)=1; N=4, a=(2,2), b=(3,1).
        var expected = 0.5 * Math.Log(4.0 / 3) + 0.25 * Math.Log(2.0 / 3) + 0.25 * Math.Log(2);
        var table = new ContingencyTable([0, 0, 1, 1], [0, 0, 0, 1]);
        Assert.Equal(expected, AdjustedMutualInformation.MutualInformation(table), 12);
    }

    [Fact]
    public void MatchesScikitLearnPublishedValues()
    {
        // The known values of scikit-learn's test_adjusted_mutual_info_score (arithmetic normalisation).
        int[] a = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];
        int[] b = [1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2];
        var table = new ContingencyTable(a, b);
        Assert.Equal(0.41022, AdjustedMutualInformation.MutualInformation(table), 5);
        Assert.Equal(0.15042, AdjustedMutualInformation.ExpectedMutualInformation(table), 5);
        Assert.Equal(0.27821, AdjustedMutualInformation.Compute(table), 5);

        var a110 = Enumerable.Repeat(a, 110).SelectMany(x => x).ToArray();
        var b110 = Enumerable.Repeat(b, 110).SelectMany(x => x).ToArray();
        Assert.Equal(0.38, AdjustedMutualInformation.Compute(a110, b110), 2);
    }

    [Fact]
    public void ExpectedMutualInformationEqualsAverageOverAllPermutations()
    {
        // EMI is the mean MI when one labeling is randomly permuted: enumerate all 7! permutations.
        int[] truth = [0, 0, 0, 1, 1, 2, 2];
        int[] predicted = [0, 0, 1, 1, 1, 1, 2];
        var permutations = Permutations(predicted.Length).ToList();
        var mean = permutations.Average(p => PlainMutualInformation(truth, p.Select(k => predicted[k]).ToArray()));
        var table = new ContingencyTable(truth, predicted);
        Assert.Equal(5040, permutations.Count);
        Assert.Equal(mean, AdjustedMutualInformation.ExpectedMutualInformation(table), 12);

        var ami = (PlainMutualInformation(truth, predicted) - mean)
                  / (0.5 * (PlainEntropy(truth) + PlainEntropy(predicted)) - mean);
        Assert.Equal(ami, AdjustedMutualInformation.Compute(truth, predicted), 10);
    }

    [Fact]
    public void IndependentLabelingsGiveNearZero()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 2000).Select(_ => random.Next(6)).ToArray();
        var predicted = Enumerable.Range(0, 2000).Select(_ => random.Next(6)).ToArray();
        Assert.InRange(AdjustedMutualInformation.Compute(truth, predicted), -0.01, 0.01);
    }

    // Independent calculations from the definitions, by counting, in the natural log.
    private static double PlainMutualInformation(int[] u, int[] v)
    {
        double n = u.Length, mi = 0;
        foreach (var i in u.Distinct())
        foreach (var j in v.Distinct())
        {
            double nij = u.Where((x, k) => x == i && v[k] == j).Count();
            if (nij == 0) continue;
            mi += nij / n * Math.Log(n * nij / (u.Count(x => x == i) * (double)v.Count(x => x == j)));
        }
        return mi;
    }

    private static double PlainEntropy(int[] u) =>
        -u.GroupBy(x => x).Sum(g => (double)g.Count() / u.Length * Math.Log((double)g.Count() / u.Length));

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in Permutations(n - 1))
            for (var position = 0; position <= rest.Length; position++)
            {
                var p = new List<int>(rest);
                p.Insert(position, n - 1);
                yield return p.ToArray();
            }
    }
}
