using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Mapping;

namespace ConvEmbed.Model.Tests.Mapping;

public sealed class TsneTests
{
    /// <summary>Five well-separated classes in 32-D with within-class spread, 60 points each.</summary>
    private static (List<float[]> X, int[] Labels) Clusters(int perClass = 60, int classes = 5, int dimensions = 32, double spread = 0.6, int seed = 1)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dimensions).Select(_ => Gaussian(random)).ToArray()).ToList();
        var x = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < classes; c++)
            for (var i = 0; i < perClass; i++)
            {
                x.Add(centres[c].Select(v => (float)(v + spread * Gaussian(random))).ToArray());
                labels.Add(c);
            }
        return (x, labels.ToArray());
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Leave-one-out majority vote of the k nearest points in the plane (Euclidean, as the eye sees it).</summary>
    private static double KnnAccuracy2D(MapPoint[] points, int[] labels, int k)
    {
        var correct = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var votes = Enumerable.Range(0, points.Length).Where(j => j != i)
                .OrderBy(j => Math.Pow(points[i].X - points[j].X, 2) + Math.Pow(points[i].Y - points[j].Y, 2)).Take(k)
                .GroupBy(j => labels[j]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            if (votes == labels[i]) correct++;
        }
        return correct / (double)points.Length;
    }

    [Fact]
    public void TheMapKeepsClassesApartAsWellAsTheFullSpace()
    {
        var (x, labels) = Clusters(spread: 1.3); // overlapping enough that full-space kNN is not perfect
        var full = new WeightedKnnClassifier(x, labels, 10).LeaveOneOutAccuracy(10);
        var tsne = new Tsne(new TsneOptions());
        var map = tsne.Fit(x);

        var plane = KnnAccuracy2D(map, labels, 10);
        Assert.True(full is > 0.5 and < 1.0, $"the test data should be hard but learnable: full-space kNN@10 {full:0.000}");
        Assert.True(plane >= full - 0.05, $"2-D kNN@10 {plane:0.000} vs full space {full:0.000}");
        Assert.True(tsne.KullbackLeibler is > 0 and < 3, $"KL {tsne.KullbackLeibler}");
    }

    [Fact]
    public void MapNeighbourhoodsVotesLikeABruteForceSort()
    {
        var random = new Random(8);
        var points = Enumerable.Range(0, 300).Select(_ => new MapPoint(random.NextSingle() * 10, random.NextSingle() * 10)).ToArray();
        var labels = points.Select(p => (p.X > 5 ? 1 : 0) + (random.NextDouble() < 0.2 ? 2 : 0)).ToArray();
        foreach (var k in new[] { 1, 5, 10 })
            Assert.Equal(KnnAccuracy2D(points, labels, k), MapNeighbourhoods.KnnAccuracy(points, labels, k), 12);
    }

    [Fact]
    public void TheSameInputAndSeedGiveTheSameMap()
    {
        var (x, _) = Clusters(perClass: 20);
        var options = new TsneOptions { Iterations = 300, ExaggerationIterations = 100 };
        Assert.Equal(new Tsne(options).Fit(x), new Tsne(options).Fit(x));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void TinyLibrariesGetAFiniteMap(int n)
    {
        var (x, _) = Clusters(perClass: 5, classes: 1);
        var map = new Tsne(new TsneOptions { Iterations = 100, ExaggerationIterations = 50 }).Fit(x.Take(n).ToList());
        Assert.Equal(n, map.Length);
        Assert.All(map, p => Assert.True(float.IsFinite(p.X) && float.IsFinite(p.Y)));
        if (n >= 2) Assert.True(map.Select(p => (p.X, p.Y)).Distinct().Count() > 1, "points should not all sit in one place");
    }

    [Fact]
    public void IdenticalEmbeddingsDoNotBreakTheTree()
    {
        var (x, _) = Clusters(perClass: 30, classes: 2);
        var withCopies = x.Concat(Enumerable.Repeat(x[0], 10)).ToList();
        var map = new Tsne(new TsneOptions { Iterations = 200, ExaggerationIterations = 100 }).Fit(withCopies);
        Assert.All(map, p => Assert.True(float.IsFinite(p.X) && float.IsFinite(p.Y)));
    }

    [Fact]
    public void BadOptionsAreRefusedWithTheirLimits()
    {
        var e = Assert.Throws<ArgumentException>(() => new Tsne(new TsneOptions { Perplexity = 0 }).Fit([[1f], [2f]]));
        Assert.Contains("perplexity must be between 1 and 500", e.Message);
    }
}
