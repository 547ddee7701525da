using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class EmbeddingEvaluatorTests
{
    // Three labels, each a tight bundle of directions around its own axis in 8-d.
    private static (float[][] Embeddings, string[] Labels) Bundles(int perLabel)
    {
        var random = new Random(9);
        string[] names = ["rock", "jazz", "folk"];
        var embeddings = new List<float[]>();
        var labels = new List<string>();
        for (var c = 0; c < names.Length; c++)
        for (var i = 0; i < perLabel; i++)
        {
            var e = Enumerable.Range(0, 8).Select(_ => 0.05f * ((float)random.NextDouble() - 0.5f)).ToArray();
            e[c] += 1 + (float)random.NextDouble(); // lengths vary: only directions count
            embeddings.Add(e);
            labels.Add(names[c]);
        }
        return (embeddings.ToArray(), labels.ToArray());
    }

    [Fact]
    public void SeparatedLabelsScorePerfectly()
    {
        var (embeddings, labels) = Bundles(25);
        var metrics = new EmbeddingEvaluator().Evaluate(embeddings, labels);
        Assert.Equal(1.0, metrics.Knn10);
        Assert.Equal(1.0, metrics.Knn20);
        Assert.Equal(1.0, metrics.Ami, 10);
        Assert.Equal(1.0, metrics.Ari, 10);
        Assert.Equal(75, metrics.Tracks);
        Assert.Equal(3, metrics.Labels);
        Assert.InRange(metrics.EmbeddingStd, 0.1, 1.0);
    }

    [Fact]
    public void CollapsedEmbeddingsScoreAtChance()
    {
        var (_, labels) = Bundles(20);
        var embeddings = labels.Select(_ => new[] { 1f, 2f, 3f }).ToArray();
        var metrics = new EmbeddingEvaluator().Evaluate(embeddings, labels);
        Assert.Equal(0.0, metrics.EmbeddingStd, 6);
        Assert.Equal(0.0, metrics.Ari, 10);
        Assert.Equal(0.0, metrics.Ami, 10);
    }

    [Fact]
    public void MismatchedInputsAreRejectedWithAReason()
    {
        var evaluator = new EmbeddingEvaluator();
        var counts = Assert.Throws<ArgumentException>(() => evaluator.Evaluate([[1f], [2f]], ["a"]));
        Assert.Contains("2 embeddings but 1 labels", counts.Message);
        var dimension = Assert.Throws<ArgumentException>(() => evaluator.Evaluate([[1f, 0f], [2f]], ["a", "b"]));
        Assert.Contains("embedding 1 has 1 values", dimension.Message);
        var nan = Assert.Throws<ArgumentException>(() => evaluator.Evaluate([[1f], [float.NaN]], ["a", "b"]));
        Assert.Contains("non-finite", nan.Message);
    }

    [Fact]
    public void InvalidOptionsAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingEvaluator(new EvaluationOptions { KMeansRestarts = 0 }));

    [Fact]
    public void ClassesAreNumberedInOrdinalOrderOfTheirNames()
    {
        var classes = new ClassIndex(["b", "a", "B", "b"]);
        Assert.Equal(["B", "a", "b"], classes.Names);
        Assert.Equal([2, 1, 0, 2], classes.Indices);
    }
}
