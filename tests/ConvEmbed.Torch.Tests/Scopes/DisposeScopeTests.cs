using System.Diagnostics;

namespace ConvEmbed.Torch.Tests.Scopes;

public class DisposeScopeTests
{
    [Fact]
    public void ScopeFreesItsTensorsAndLetsOneMoveOut()
    {
        Tensor kept, temp;
        using (var outer = DisposeScope.Enter())
        {
            using (var inner = DisposeScope.Enter())
            {
                temp = Torch.ones([3]) * 2;
                kept = (temp + 1).MoveToOuterScope();
                Assert.Equal(2, inner.Count); // ones and temp; kept moved out
            }
            Assert.True(temp.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal([3f, 3f, 3f], kept.data<float>());
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void NoGradScopeStopsRecordingAndRestores()
    {
        using var scope = DisposeScope.Enter();
        var x = Torch.ones([2]).requires_grad_();
        using (new NoGradScope())
        {
            Assert.False((x * 2).RequiresGrad);
            Assert.False(NoGradScope.GradEnabled);
        }
        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void TwentyThousandScopedIterationsKeepMemoryFlat()
    {
        static long Rss()
        {
            using var p = Process.GetCurrentProcess();
            p.Refresh();
            return p.WorkingSet64;
        }
        void Iteration()
        {
            using var scope = DisposeScope.Enter();
            var x = Torch.randn([16, 64]).requires_grad_();
            var y = Functional.softmax(x.matmul(x.t()) * 0.1, 1).mean();
            y.Backward();
            _ = x.Grad;
        }
        for (var i = 0; i < 500; i++) Iteration(); // warm up allocator and JIT
        var before = Rss();
        for (var i = 0; i < 20_000; i++) Iteration();
        var growthMb = (Rss() - before) / (1024.0 * 1024.0);
        Assert.True(growthMb < 50, $"RSS grew by {growthMb:F1} MB");
    }

    [Fact]
    public void ScopeEndedOnAnotherThreadFreesItsTensorsAndSaysWhy()
    {
        DisposeScope scope = null!;
        Tensor t = null!;
        var starter = new Thread(() => { scope = DisposeScope.Enter(); t = Torch.ones([2]); });
        starter.Start();
        starter.Join();

        var e = Assert.Throws<InvalidOperationException>(() => scope.Dispose());
        Assert.Contains("another thread", e.Message);
        Assert.True(t.IsDisposed);
    }
}
