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

    /// <summary>A re-layout that starts from the previous map (with tracks added) keeps the points where they were:
    /// regions do not jump, and the new points join their class.</summary>
    [Fact]
    public void ALayoutStartedFromThePreviousOneStaysPut()
    {
        var (x, labels) = Clusters(perClass: 40);
        var first = new Tsne(new TsneOptions { Seed = 3 }).Fit(x);
        var (extra, extraLabels) = Clusters(perClass: 4, seed: 1); // the same centres (drawn first), 4 new points each
        var more = x.Concat(extra).ToList();
        var moreLabels = labels.Concat(extraLabels).ToArray();
        var keep = Enumerable.Range(0, x.Count).ToArray();
        var added = Enumerable.Range(x.Count, extra.Count).ToArray();
        var placedNew = MapPlacement.NearNeighbours(x, first, added.Select(i => more[i]).ToList());
        var start = new MapPoint[more.Count];
        for (var k = 0; k < keep.Length; k++) start[keep[k]] = first[k];
        for (var k = 0; k < added.Length; k++) start[added[k]] = placedNew[k];

        var second = new Tsne(new TsneOptions { Seed = 3 }).Fit(more, initial: start);

        // t-SNE keeps expanding a map slowly as it iterates: moves are measured after a uniform rescale (the best scale
        // about the centre), which keeps every region where it was but forgives growth. A rotation or a jump is not forgiven.
        double MedianMove(MapPoint[] layout)
        {
            double num = 0, den = 0;
            for (var k = 0; k < keep.Length; k++)
            {
                num += layout[keep[k]].X * first[k].X + layout[keep[k]].Y * first[k].Y;
                den += layout[keep[k]].X * layout[keep[k]].X + layout[keep[k]].Y * layout[keep[k]].Y;
            }
            var s = num / den;
            var spread = Math.Sqrt(first.Average(q => q.X * q.X + q.Y * q.Y));
            var moves = keep.Select((i, k) => Math.Sqrt(Math.Pow(s * layout[i].X - first[k].X, 2) + Math.Pow(s * layout[i].Y - first[k].Y, 2)) / spread).Order().ToArray();
            return moves[moves.Length / 2];
        }
        var kept = MedianMove(second);
        Assert.True(KnnAccuracy2D(second, moreLabels, 5) > 0.95);
        // A fresh layout of the same data (PCA start) lands elsewhere: the start is what keeps the map in place.
        var fresh = MedianMove(new Tsne(new TsneOptions { Seed = 3 }).Fit(more));
        Assert.True(kept < 0.1 && fresh > 2 * kept, $"median move after a rescale: {kept:0.000} of the map's spread from the previous map, {fresh:0.000} from scratch");
    }

    /// <summary>A new track lands next to its most similar placed tracks (against brute force on a small input).</summary>
    [Fact]
    public void ANewTrackIsPlacedAmongItsNearestNeighbours()
    {
        var (x, labels) = Clusters(perClass: 30);
        var map = new Tsne(new TsneOptions { Seed = 2 }).Fit(x);
        var (probe, probeLabels) = Clusters(perClass: 3, seed: 1); // the same centres, new points
        var fresh = Enumerable.Range(0, probe.Count).ToList();
        var placed = MapPlacement.NearNeighbours(x, map, fresh.Select(i => probe[i]).ToList(), k: 5);
        for (var f = 0; f < fresh.Count; f++)
        {
            // Its nearest map point (by the eye) is of its class, and it sits inside its class's region.
            var nearest = Enumerable.Range(0, map.Length).MinBy(j => Math.Pow(map[j].X - placed[f].X, 2) + Math.Pow(map[j].Y - placed[f].Y, 2));
            Assert.Equal(probeLabels[fresh[f]], labels[nearest]);
        }
        // A track equal to a placed one lands on it (its own weight dominates).
        var twin = MapPlacement.NearNeighbours(x, map, [x[7]], k: 5)[0];
        var spread = Math.Sqrt(map.Average(q => q.X * q.X + q.Y * q.Y));
        Assert.True(Math.Sqrt(Math.Pow(twin.X - map[7].X, 2) + Math.Pow(twin.Y - map[7].Y, 2)) < 0.1 * spread);
        Assert.Throws<ArgumentException>(() => MapPlacement.NearNeighbours([], [], [x[0]]));
    }

    /// <summary>The large-library repulsion (grid interpolation) lays out the same clusters as Barnes-Hut.</summary>
    [Fact]
    public void GridInterpolationSeparatesTheClustersLikeBarnesHut()
    {
        var (x, labels) = Clusters(perClass: 60);
        var options = new TsneOptions { Seed = 3, Iterations = 300, ExaggerationIterations = 100 };
        var bh = new Tsne(options with { Repulsion = TsneRepulsion.BarnesHut }).Fit(x);
        var grid = new Tsne(options with { Repulsion = TsneRepulsion.Interpolation }).Fit(x);
        Assert.True(KnnAccuracy2D(grid, labels, 10) > 0.95);
        Assert.True(Math.Abs(KnnAccuracy2D(grid, labels, 10) - KnnAccuracy2D(bh, labels, 10)) < 0.03);
        Assert.NotEqual(bh[0], grid[0]); // a different computation, not the same code path twice
    }
}
