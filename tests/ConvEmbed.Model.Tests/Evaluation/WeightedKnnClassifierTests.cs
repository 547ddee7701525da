using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class WeightedKnnClassifierTests
{
    private static float[] Angle(double degrees, double length = 1) =>
        [(float)(length * Math.Cos(degrees * Math.PI / 180)), (float)(length * Math.Sin(degrees * Math.PI / 180))];

    [Fact]
    public void SeparatedClassesAreAllClassifiedCorrectly()
    {
        float[][] x = [Angle(0), Angle(5), Angle(10), Angle(90), Angle(95), Angle(100)];
        var knn = new WeightedKnnClassifier(x, [0, 0, 0, 1, 1, 1], maxK: 2);
        Assert.Equal(1.0, knn.LeaveOneOutAccuracy(2));
    }

    [Fact]
    public void CloseNeighbourOutweighsAMajorityOfFarOnes()
    {
        // Query 0 has one neighbour of class 1 at cosine ≈ 1 and two of class 0 at cosine 0.866:
        // exp(1/0.07) ≈ 1.6e6 > 2·exp(0.866/0.07) ≈ 4.7e5, so the weighted vote says class 1.
        float[][] x = [Angle(0), Angle(1), Angle(30), Angle(-30)];
        var knn = new WeightedKnnClassifier(x, [0, 1, 0, 0], maxK: 3);
        Assert.Equal(1, knn.LeaveOneOutPredictions(3)[0]);
        // With a flat temperature the vote is nearly a count, and the majority wins.
        var flat = new WeightedKnnClassifier(x, [0, 1, 0, 0], maxK: 3, temperature: 100);
        Assert.Equal(0, flat.LeaveOneOutPredictions(3)[0]);
    }

    [Fact]
    public void TrackIsNeverItsOwnNeighbour()
    {
        // Tracks 0 and 1 coincide but differ in class; leave-one-out must answer the other one's class.
        float[][] x = [Angle(0), Angle(0), Angle(180)];
        var knn = new WeightedKnnClassifier(x, [0, 1, 0], maxK: 1);
        var predictions = knn.LeaveOneOutPredictions(1);
        Assert.Equal(1, predictions[0]);
        Assert.Equal(0, predictions[1]);
    }

    [Fact]
    public void EqualVotesGoToTheLowerClass()
    {
        float[][] x = [Angle(0), Angle(60), Angle(-60)];
        var knn = new WeightedKnnClassifier(x, [2, 1, 0], maxK: 2);
        Assert.Equal(0, knn.LeaveOneOutPredictions(2)[0]);
    }

    [Fact]
    public void LengthOfEmbeddingsDoesNotMatter()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 30).Select(i => i % 3).ToArray();
        var scaled = x.Select((v, i) => v.Select(f => f * (i + 1) * 3.5f).ToArray()).ToArray();
        Assert.Equal(new WeightedKnnClassifier(x, labels, 5).LeaveOneOutPredictions(5),
            new WeightedKnnClassifier(scaled, labels, 5).LeaveOneOutPredictions(5));
    }

    [Fact]
    public void KLargerThanTheOtherTracksUsesThemAll()
    {
        float[][] x = [Angle(0), Angle(10), Angle(20)];
        var knn = new WeightedKnnClassifier(x, [0, 0, 1], maxK: 20);
        Assert.Equal(2, knn.MaxK);
        Assert.Equal(knn.LeaveOneOutPredictions(2), knn.LeaveOneOutPredictions(20));
    }

    [Fact]
    public void MatchesBruteForceOnRandomData()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 50).Select(_ => random.Next(4)).ToArray();
        var knn = new WeightedKnnClassifier(x, labels, maxK: 20);
        foreach (var k in new[] { 1, 10, 20 })
            Assert.Equal(BruteForceAccuracy(x, labels, k, 0.07), knn.LeaveOneOutAccuracy(k), 12);
    }

    [Fact]
    public void AskingBeyondMaxKIsAnError()
    {
        float[][] x = [Angle(0), Angle(10), Angle(20), Angle(30)];
        var knn = new WeightedKnnClassifier(x, [0, 0, 1, 1], maxK: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => knn.LeaveOneOutPredictions(2));
    }

    private static double BruteForceAccuracy(float[][] x, int[] labels, int k, double temperature)
    {
        double Cosine(float[] a, float[] b)
        {
            double dot = 0, na = 0, nb = 0;
            for (var d = 0; d < a.Length; d++) { dot += a[d] * b[d]; na += a[d] * a[d]; nb += b[d] * b[d]; }
            return dot / Math.Sqrt(na * nb);
        }
        var correct = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var votes = Enumerable.Range(0, x.Length).Where(j => j != i)
                .Select(j => (j, s: Cosine(x[i], x[j]))).OrderByDescending(p => p.s).Take(k)
                .GroupBy(p => labels[p.j]).Select(g => (label: g.Key, vote: g.Sum(p => Math.Exp(p.s / temperature))))
                .OrderByDescending(v => v.vote).ThenBy(v => v.label).First();
            if (votes.label == labels[i]) correct++;
        }
        return (double)correct / x.Length;
    }
}
