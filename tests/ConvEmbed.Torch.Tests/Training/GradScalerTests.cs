using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Torch.Tests.Training;

/// <summary>The loss scaler of fp16 training, on real libtorch gradients (CPU, fp32: the arithmetic it adds is the same).</summary>
public sealed class GradScalerTests
{
    // Gradient of Σ g_i·p_i is g, so the gradient each step sees is known exactly.
    private static void Backward(Tensor p, GradScaler scaler, float[] g)
    {
        using var scope = DisposeScope.Enter();
        scaler.scale((p * Torch.tensor<float>(g, g.Length)).sum()).Backward();
    }

    [Fact]
    public void UnscalingGivesBackTheTrueGradientAndItsNorm()
    {
        using var p = Torch.tensor<float>([0.5f, -1.5f, 2.0f], 3).requires_grad_(true);
        var scaler = new GradScaler(initScale: 1024);

        Backward(p, scaler, [0.3f, -0.2f, 1.0f]);
        Assert.Equal([0.3f * 1024, -0.2f * 1024, 1.0f * 1024], p.Grad!.data<float>()); // scaled exactly by a power of two
        var norm = scaler.unscale_([p]);

        Assert.Equal([0.3f, -0.2f, 1.0f], p.Grad!.data<float>());
        Assert.Equal(Math.Sqrt(0.09 + 0.04 + 1.0), norm, 6);
    }

    [Fact]
    public void AnOverflowSkipsTheStepAndBacksOffThenGoodStepsGrowTheScale()
    {
        using var p = Torch.tensor<float>([0.5f, -1.5f], 2).requires_grad_(true);
        using var opt = new AdamW([new ParamGroup([p], 0.1, 0)]);
        // Larger than fp32 can hold: the scaled gradient is infinite.
        var scaler = new GradScaler(initScale: 1e39, growthInterval: 2);

        opt.zero_grad();
        Backward(p, scaler, [1f, 1f]);
        var took = scaler.step(opt, scaler.unscale_([p]));

        Assert.False(took);
        Assert.Equal([0.5f, -1.5f], p.data<float>()); // untouched
        Assert.Equal(0, opt.StepCount);
        Assert.Equal(5e38, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);

        scaler.Restore(256, 0, scaler.SkippedSteps);
        for (var i = 0; i < 2; i++)
        {
            opt.zero_grad();
            Backward(p, scaler, [1f, -1f]);
            Assert.True(scaler.step(opt, scaler.unscale_([p])));
        }
        Assert.Equal(2, opt.StepCount);
        Assert.Equal(512, scaler.Scale); // doubled after growthInterval good steps
        Assert.Equal(0, scaler.GoodSteps);
        Assert.True(p.data<float>()[0] < 0.5f, "the good steps moved the parameter");
    }

    [Fact]
    public void TheScaleNeverGrowsPastWhatFp32Holds()
    {
        var scaler = new GradScaler(initScale: Math.Pow(2, 127), growthInterval: 1);
        scaler.update(finite: true);
        Assert.Equal(Math.Pow(2, 127), scaler.Scale);
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.5, 10)]
    [InlineData(double.PositiveInfinity, 2.0, 0.5, 10)]
    [InlineData(1.0, 1.0, 0.5, 10)]
    [InlineData(1.0, 2.0, 1.0, 10)]
    [InlineData(1.0, 2.0, 0.5, 0)]
    public void ImpossibleSettingsAreRefused(double scale, double growth, double backoff, int interval) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(scale, growth, backoff, interval));
}
