namespace ConvEmbed.Torch.Tests.Ops;

public class ElementwiseAndReductionTests
{
    private static readonly double[] A = Reference.Random(6, 1);
    private static readonly double[] B = Reference.Random(6, 2);

    [Fact]
    public void ArithmeticOperatorsMatchManagedArithmetic()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 2, 3);
        var b = Torch.tensor<double>(B, 2, 3);
        Reference.AssertClose(A.Zip(B, (x, y) => x + y).ToArray(), (a + b).data<double>(), 1e-12);
        Reference.AssertClose(A.Zip(B, (x, y) => x - y).ToArray(), (a - b).data<double>(), 1e-12);
        Reference.AssertClose(A.Zip(B, (x, y) => x * y).ToArray(), (a * b).data<double>(), 1e-12);
        Reference.AssertClose(A.Zip(B, (x, y) => x / y).ToArray(), (a / b).data<double>(), 1e-12);
        Reference.AssertClose(A.Select(x => 2 * x + 1).ToArray(), (2 * a + 1).data<double>(), 1e-12);
        Reference.AssertClose(A.Select(x => 1 - x).ToArray(), (1 - a).data<double>(), 1e-12);
        Reference.AssertClose(A.Select(x => Math.Exp(x)).ToArray(), a.exp().data<double>(), 1e-12);
        Reference.AssertClose(A.Select(x => x * x).ToArray(), a.pow(2).data<double>(), 1e-12);
    }

    [Fact]
    public void BroadcastingFollowsPyTorchRules()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 2, 3);
        var row = Torch.tensor<double>([10.0, 20.0, 30.0], 1, 3);
        var expected = A.Select((x, i) => x + (i % 3 + 1) * 10).ToArray();
        Reference.AssertClose(expected, (a + row).data<double>(), 1e-12);
    }

    [Fact]
    public void MatmulMatchesTripleLoop()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 2, 3);
        var b = Torch.tensor<double>(B, 3, 2);
        var expected = new double[4];
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
                for (var k = 0; k < 3; k++)
                    expected[i * 2 + j] += A[i * 3 + k] * B[k * 2 + j];
        Reference.AssertClose(expected, a.matmul(b).data<double>(), 1e-12);
    }

    [Fact]
    public void ActivationsMatchTheirFormulas()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 6);
        Reference.AssertClose(A.Select(Reference.Gelu).ToArray(), a.gelu().data<double>(), 1e-9);
        Reference.AssertClose(A.Select(x => Math.Max(0, x)).ToArray(), a.relu().data<double>(), 1e-12);
        var sm = Reference.Softmax(A, 2, 3);
        Reference.AssertClose(sm, Functional.softmax(a.reshape(2, 3), 1).data<double>(), 1e-12);
        Reference.AssertClose(sm.Select(v => Math.Log(v)).ToArray(), Functional.log_softmax(a.reshape(2, 3), 1).data<double>(), 1e-12);
    }

    [Fact]
    public void NormalizeGivesUnitRows()
    {
        using var scope = DisposeScope.Enter();
        var y = Functional.normalize(Torch.tensor<double>(A, 2, 3), dim: 1).data<double>();
        var expected = new double[6];
        for (var r = 0; r < 2; r++)
        {
            var n = Math.Sqrt(A.Skip(r * 3).Take(3).Sum(x => x * x));
            for (var c = 0; c < 3; c++) expected[r * 3 + c] = A[r * 3 + c] / n;
        }
        Reference.AssertClose(expected, y, 1e-12);
    }

    [Fact]
    public void ReductionsOverADimMatchManagedStatistics()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 2, 3);
        var rows = new[] { A[..3], A[3..] };
        double Var(double[] r) => r.Sum(x => (x - r.Average()) * (x - r.Average())) / (r.Length - 1);
        Reference.AssertClose(rows.Select(r => r.Sum()).ToArray(), a.sum(1).data<double>(), 1e-12);
        Reference.AssertClose(rows.Select(r => r.Average()).ToArray(), a.mean(1).data<double>(), 1e-12);
        Reference.AssertClose(rows.Select(Var).ToArray(), a.var(1).data<double>(), 1e-12);
        Reference.AssertClose(rows.Select(r => Math.Sqrt(Var(r))).ToArray(), a.std(1).data<double>(), 1e-12);
        Reference.AssertClose(rows.Select(r => r.Max()).ToArray(), a.max(1).data<double>(), 1e-12);
        Reference.AssertClose([A.Sum()], [a.sum().item()], 1e-12);
        Assert.Equal([2L, 1L], a.mean(1, keepdim: true).Shape);
    }

    [Fact]
    public void ShapeOpsRearrangeElementsAsPyTorch()
    {
        using var scope = DisposeScope.Enter();
        var a = Torch.tensor<double>(A, 2, 3);
        var b = Torch.tensor<double>(B, 2, 3);
        Assert.Equal(A.Concat(B).ToArray(), Torch.cat([a, b], 0).data<double>());
        Assert.Equal([2L, 2L, 3L], Torch.stack([a, b], 0).Shape);
        Assert.Equal(new[] { A[1], A[2], A[4], A[5] }, a.narrow(1, 1, 2).data<double>());
        Assert.Equal(new[] { A[0], A[3], A[1], A[4], A[2], A[5] }, a.transpose(0, 1).data<double>());
        Assert.Equal([3L, 2L], a.reshape(3, 2).Shape);
        Assert.Equal(new[] { A[0], A[0], A[1], A[1] }, a.narrow(1, 0, 2).narrow(0, 0, 1).reshape(2, 1).expand(2, 2).data<double>());
        var idx = Torch.tensor<long>([2L, 0L], 2);
        Assert.Equal(new[] { A[2], A[0], A[5], A[3] }, a.index_select(1, idx).data<double>());
    }

    [Fact]
    public void DataRoundTripsThroughEveryDType()
    {
        using var scope = DisposeScope.Enter();
        var f = Reference.RandomF(5, 3);
        Assert.Equal(f, Torch.tensor<float>(f, 5).data<float>());
        Assert.Equal(ScalarType.Float16, Torch.tensor<float>(f, 5).to(ScalarType.Float16).DType);
        var h = f.Select(v => (Half)v).ToArray();
        Assert.Equal(h, Torch.tensor<Half>(h, 5).data<Half>());
        long[] l = [1, -2, 3];
        Assert.Equal(l, Torch.tensor<long>(l, 3).data<long>());
        Assert.Equal(Device.Cpu, Torch.zeros([2]).Device);
    }
}
