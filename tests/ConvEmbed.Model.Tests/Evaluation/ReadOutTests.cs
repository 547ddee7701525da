using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

/// <summary>The read-outs that cost no training: PCA whitening and the hubness correction, against direct computations.</summary>
public sealed class ReadOutTests
{
    private static float[][] Gaussian(int count, int dimension, int seed, double[] scales)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(d =>
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            return (float)(scales[d] * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) + d);
        }).ToArray()).ToArray();
    }

    [Fact]
    public void WhiteningGivesTheFittedSetZeroMeanAndUnitCovariance()
    {
        var x = Gaussian(400, 6, 1, [5, 0.1, 2, 1, 0.5, 3]);
        // Correlate two dimensions so the eigenvectors are not the axes.
        foreach (var v in x) v[1] += 0.8f * v[0];
        var whitening = PcaWhitening.Fit(x);
        var w = x.Select(v => whitening.Apply(v)).ToArray();

        for (var a = 0; a < 6; a++)
        {
            Assert.Equal(0, w.Average(v => v[a]), 3);
            for (var b = 0; b < 6; b++)
            {
                var covariance = w.Sum(v => (double)v[a] * v[b]) / (w.Length - 1);
                Assert.Equal(a == b ? 1.0 : 0.0, covariance, 3);
            }
        }
        Assert.True(whitening.Eigenvalues.Zip(whitening.Eigenvalues.Skip(1)).All(p => p.First >= p.Second)); // largest first
        for (var c = 0; c < 6; c++) Assert.Equal(1.0, Math.Sqrt(whitening.Components[c].Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public void ShrinkageDampsTheLargeDirectionsAndKeepsTheSmallNearTheirScale()
    {
        var x = Gaussian(400, 3, 6, [10, 1, 0.1]);
        var shrunk = PcaWhitening.Fit(x, shrinkage: 1);
        var w = x.Select(v => shrunk.Apply(v)).ToArray();
        var variances = Enumerable.Range(0, 3).Select(a => w.Sum(v => (double)v[a] * v[a]) / (w.Length - 1)).ToArray();
        // λ / (λ + mean λ): ≈ 100/133.7, 1/34.7, 0.01/33.7 — ordered, all below 1, the smallest not blown up to 1.
        Assert.True(variances[0] > variances[1] && variances[1] > variances[2]);
        Assert.InRange(variances[0], 0.6, 0.9);
        Assert.InRange(variances[2], 0, 0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => PcaWhitening.Fit(x, shrinkage: -1));
    }

    [Fact]
    public void WhiteningStoredAndRestoredAppliesIdentically()
    {
        var x = Gaussian(50, 4, 2, [1, 2, 3, 4]);
        var fitted = PcaWhitening.Fit(x);
        var restored = PcaWhitening.From(fitted.Mean, fitted.Components, fitted.Eigenvalues);
        Assert.Equal(fitted.Apply(x[7]), restored.Apply(x[7]));
        Assert.Throws<ArgumentException>(() => PcaWhitening.From(fitted.Mean, fitted.Components, [1, 1, 1]));
        Assert.Throws<ArgumentException>(() => fitted.Apply(new float[3]));
    }

    [Fact]
    public void WhiteningASetThatSpansFewerDimensionsStaysFinite()
    {
        var x = Enumerable.Range(0, 20).Select(i => new float[] { i, 2 * i, 0 }).ToArray(); // a line in 3-D
        var whitening = PcaWhitening.Fit(x);
        Assert.All(x.SelectMany(v => whitening.Apply(v)), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void HubnessRIsTheMeanCosineToTheKNearestOthers()
    {
        var x = EmbeddingNormalisation.Normalise(Gaussian(30, 5, 3, [1, 1, 1, 1, 1]).Select(v => v.Select((f, d) => f - d).ToArray()).ToList());
        var r = HubnessCorrection.NeighbourhoodSimilarity(x, k: 4);
        for (var i = 0; i < x.Length; i++)
        {
            var brute = Enumerable.Range(0, x.Length).Where(j => j != i)
                .Select(j => x[i].Zip(x[j]).Sum(p => (double)p.First * p.Second)).OrderDescending().Take(4).Average();
            Assert.Equal(brute, r[i], 5);
        }
    }

    [Fact]
    public void HubnessCorrectedKnnRanksByTheCorrectedScore()
    {
        var raw = Gaussian(40, 8, 4, Enumerable.Repeat(1.0, 8).ToArray()).Select(v => v.Select((f, d) => f - d).ToArray()).ToList();
        // A hub: the mean direction of all the others, near every one of them, labelled 0.
        var normalisedRaw = EmbeddingNormalisation.Normalise(raw);
        raw.Add(Enumerable.Range(0, 8).Select(d => normalisedRaw.Sum(v => v[d])).ToArray());
        var labels = Enumerable.Range(0, 41).Select(i => i == 40 ? 0 : i % 3).ToArray();
        var x = EmbeddingNormalisation.Normalise(raw);
        var r = HubnessCorrection.NeighbourhoodSimilarity(x);
        var knn = new WeightedKnnClassifier(x, labels, maxK: 5, hubness: r);
        var predictions = knn.LeaveOneOutPredictions(5);
        for (var i = 0; i < x.Length; i++)
        {
            // Brute force: every other track's cos − (r_i + r_j)/2, the 5 best vote exp(s/T).
            var votes = new double[3];
            foreach (var (j, score) in Enumerable.Range(0, x.Length).Where(j => j != i)
                         .Select(j => (j, score: x[i].Zip(x[j]).Sum(p => (double)p.First * p.Second) - (r[i] + r[j]) / 2.0))
                         .OrderByDescending(p => p.score).ThenBy(p => p.j).Take(5))
                votes[labels[j]] += Math.Exp(score / WeightedKnnClassifier.DefaultTemperature);
            Assert.Equal(Array.IndexOf(votes, votes.Max()), predictions[i]);
        }
        // The correction changes who is nearest (the hub stops being everyone's first neighbour).
        var plainFirst = new WeightedKnnClassifier(x, labels, maxK: 1);
        var correctedFirst = new WeightedKnnClassifier(x, labels, maxK: 1, hubness: r);
        Assert.NotEqual(plainFirst.LeaveOneOutPredictions(1), correctedFirst.LeaveOneOutPredictions(1));
    }
}
