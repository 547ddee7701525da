namespace ConvEmbed.Torch.Tests.Autograd;

public class GradientTests
{
    // A fixed random projection makes every output element matter to the scalar being differentiated.
    private static Tensor Project(Tensor y, int seed)
    {
        var w = Torch.tensor<double>(Reference.Random((int)y.NumEl, seed), y.Shape);
        return (y * w).sum();
    }

    [Fact]
    public void Conv1dGradientMatchesFiniteDifferences()
    {
        var w = Torch.tensor<double>(Reference.Random(4 * 1 * 3, 1), 4, 1, 3).DetachFromDisposeScope();
        var b = Torch.tensor<double>(Reference.Random(4, 2), 4).DetachFromDisposeScope();
        GradCheck.Check(Reference.Random(2 * 2 * 7, 3), [2, 2, 7],
            x => Project(Functional.conv1d(x, w, b, stride: 2, padding: 1, dilation: 1, groups: 2), 4));
        w.Dispose(); b.Dispose();
    }

    [Fact]
    public void BatchNormTrainingGradientMatchesFiniteDifferences()
    {
        using var gamma = Torch.tensor<double>([1.5, 0.5, -1.0], 3);
        using var beta = Torch.tensor<double>([0.1, 0.2, 0.3], 3);
        GradCheck.Check(Reference.Random(4 * 3 * 2, 5), [4, 3, 2],
            x => Project(Functional.batch_norm(x, null, null, gamma, beta, training: true), 6));
    }

    [Fact]
    public void LayerNormGradientMatchesFiniteDifferences()
    {
        using var gamma = Torch.tensor<double>(Reference.Random(5, 7), 5);
        using var beta = Torch.tensor<double>(Reference.Random(5, 8), 5);
        GradCheck.Check(Reference.Random(3 * 5, 9), [3, 5],
            x => Project(Functional.layer_norm(x, [5], gamma, beta), 10));
    }

    [Fact]
    public void SoftCrossEntropyGradientMatchesFiniteDifferences()
    {
        var p = Reference.Softmax(Reference.Random(4 * 5, 11, 2), 4, 5);
        using var target = Torch.tensor<double>(p, 4, 5);
        GradCheck.Check(Reference.Random(4 * 5, 12, 2), [4, 5], x => Functional.cross_entropy(x, target));
    }

    [Fact]
    public void NormalizeGradientMatchesFiniteDifferences() =>
        GradCheck.Check(Reference.Random(3 * 4, 13), [3, 4], x => Project(Functional.normalize(x, dim: 1), 14));
}
