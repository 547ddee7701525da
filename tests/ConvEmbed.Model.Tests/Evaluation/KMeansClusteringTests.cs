using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class KMeansClusteringTests
{
    private static (float[][] Points, int[] Labels) Blobs(int perBlob, int seed)
    {
        var random = new Random(seed);
        float[][] centres = [[0, 0], [10, 0], [0, 10]];
        var points = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < centres.Length; c++)
        for (var i = 0; i < perBlob; i++)
        {
            points.Add([centres[c][0] + (float)random.NextDouble() - 0.5f, centres[c][1] + (float)random.NextDouble() - 0.5f]);
            labels.Add(c);
        }
        return (points.ToArray(), labels.ToArray());
    }

    [Fact]
    public void SeparatedBlobsAreRecovered()
    {
        var (points, labels) = Blobs(15, 6);
        var result = new KMeansClustering(3, restarts: 5, seed: 0).Fit(points);
        Assert.Equal(1.0, AdjustedRandIndex.Compute(labels, result.Assignments), 12);

        var inertia = points.Select((p, i) => Math.Pow(p[0] - result.Centroids[result.Assignments[i]][0], 2)
                                              + Math.Pow(p[1] - result.Centroids[result.Assignments[i]][1], 2)).Sum();
        Assert.Equal(inertia, result.Inertia, 6);
    }

    [Fact]
    public void OneClusterIsTheMean()
    {
        float[][] points = [[0, 0], [2, 0], [4, 6]];
        var result = new KMeansClustering(1).Fit(points);
        Assert.Equal(2.0, result.Centroids[0][0], 12);
        Assert.Equal(2.0, result.Centroids[0][1], 12);
        Assert.Equal(8 + 4 + 20, result.Inertia, 10); // ‖(−2,−2)‖² + ‖(0,−2)‖² + ‖(2,4)‖²
    }

    [Fact]
    public void SameSeedGivesSameClustering()
    {
        var random = new Random(7);
        var points = Enumerable.Range(0, 80).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var a = new KMeansClustering(5, seed: 3).Fit(points);
        var b = new KMeansClustering(5, seed: 3).Fit(points);
        Assert.Equal(a.Assignments, b.Assignments);
        Assert.Equal(a.Inertia, b.Inertia);
    }

    [Fact]
    public void MoreRestartsNeverRaiseInertia()
    {
        var random = new Random(8);
        var points = Enumerable.Range(0, 120).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        // The first restart draws the same random numbers either way, so ten restarts include it.
        var one = new KMeansClustering(6, restarts: 1, seed: 1).Fit(points);
        var ten = new KMeansClustering(6, restarts: 10, seed: 1).Fit(points);
        Assert.True(ten.Inertia <= one.Inertia);
    }

    [Fact]
    public void CoincidentPointsDoNotBreakIt()
    {
        float[][] points = [[1, 1], [1, 1], [1, 1], [1, 1]];
        var result = new KMeansClustering(2).Fit(points);
        Assert.Equal(0.0, result.Inertia);
        Assert.Equal(4, result.Assignments.Length);
    }

    [Fact]
    public void FewerPointsThanClustersIsAnError() =>
        Assert.Throws<ArgumentException>(() => new KMeansClustering(3).Fit([[0f], [1f]]));
}
