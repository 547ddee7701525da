namespace ConvEmbed.Torch.Tests.Ops;

public class NeuralNetworkOpTests
{
    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(2, 1, 1, 2)]
    public void Conv1dMatchesDirectSum(int stride, int pad, int dil, int groups)
    {
        using var scope = DisposeScope.Enter();
        int n = 2, cin = 4, l = 9, cout = 6, k = 3;
        var x = Reference.Random(n * cin * l, 1);
        var w = Reference.Random(cout * cin / groups * k, 2);
        var b = Reference.Random(cout, 3);
        var expected = Reference.Conv1d(x, n, cin, l, w, cout, k, b, stride, pad, dil, groups, out var lout);
        var y = Functional.conv1d(Torch.tensor<double>(x, n, cin, l), Torch.tensor<double>(w, cout, cin / groups, k),
            Torch.tensor<double>(b, cout), stride, pad, dil, groups);
        Assert.Equal([n, cout, (long)lout], y.Shape);
        Reference.AssertClose(expected, y.data<double>(), 1e-12);
    }

    [Fact]
    public void BatchNormNormalisesPerChannelAndUpdatesRunningStats()
    {
        using var scope = DisposeScope.Enter();
        int n = 3, c = 2, l = 4;
        var x = Reference.Random(n * c * l, 4, 3);
        var rm = Torch.zeros([c], ScalarType.Float64);
        var rv = Torch.ones([c], ScalarType.Float64);
        var y = Functional.batch_norm(Torch.tensor<double>(x, n, c, l), rm, rv, training: true, momentum: 0.1).data<double>();
        for (var ch = 0; ch < c; ch++)
        {
            var vals = new List<double>();
            for (var b = 0; b < n; b++) for (var t = 0; t < l; t++) vals.Add(x[(b * c + ch) * l + t]);
            var mean = vals.Average();
            var varB = vals.Sum(v => (v - mean) * (v - mean)) / vals.Count;
            for (var b = 0; b < n; b++)
                for (var t = 0; t < l; t++)
                {
                    var i = (b * c + ch) * l + t;
                    Assert.Equal((x[i] - mean) / Math.Sqrt(varB + 1e-5), y[i], 9);
                }
            Assert.Equal(0.1 * mean, rm.data<double>()[ch], 12);
            Assert.Equal(0.9 + 0.1 * varB * vals.Count / (vals.Count - 1), rv.data<double>()[ch], 12);
        }
        // Eval mode uses the running statistics and leaves them alone.
        var e = Functional.batch_norm(Torch.tensor<double>(x, n, c, l), rm, rv, training: false).data<double>();
        Assert.Equal((x[0] - rm.data<double>()[0]) / Math.Sqrt(rv.data<double>()[0] + 1e-5), e[0], 9);
    }

    [Fact]
    public void LayerNormNormalisesTheLastDim()
    {
        using var scope = DisposeScope.Enter();
        var x = Reference.Random(2 * 4, 5, 2);
        var y = Functional.layer_norm(Torch.tensor<double>(x, 2, 4), [4]).data<double>();
        for (var r = 0; r < 2; r++)
        {
            var row = x[(r * 4)..(r * 4 + 4)];
            var m = row.Average();
            var v = row.Sum(a => (a - m) * (a - m)) / 4;
            for (var j = 0; j < 4; j++) Assert.Equal((row[j] - m) / Math.Sqrt(v + 1e-5), y[r * 4 + j], 9);
        }
    }

    [Fact]
    public void CrossEntropyWithSoftAndHardTargetsMatchesFormula()
    {
        using var scope = DisposeScope.Enter();
        var logits = Reference.Random(3 * 4, 6, 2);
        var p = Reference.Softmax(Reference.Random(3 * 4, 7), 3, 4);
        var logSm = Reference.Softmax(logits, 3, 4).Select(v => Math.Log(v)).ToArray();
        var expectedSoft = -Enumerable.Range(0, 12).Sum(i => p[i] * logSm[i]) / 3;
        var lt = Torch.tensor<double>(logits, 3, 4);
        Assert.Equal(expectedSoft, Functional.cross_entropy(lt, Torch.tensor<double>(p, 3, 4)).item(), 12);
        var expectedHard = -(logSm[0 * 4 + 1] + logSm[1 * 4 + 3] + logSm[2 * 4 + 0]) / 3;
        Assert.Equal(expectedHard, Functional.cross_entropy(lt, Torch.tensor<long>([1L, 3L, 0L], 3)).item(), 12);
    }
}
