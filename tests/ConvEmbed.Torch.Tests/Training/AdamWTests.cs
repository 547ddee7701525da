using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Torch.Tests.Training;

/// <summary>AdamW against its formula (Loshchilov &amp; Hutter), computed by hand in doubles for two steps.</summary>
public sealed class AdamWTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void TwoStepsFollowTheFormula(double weightDecay)
    {
        const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] theta = [0.5, -1.5, 2.0];
        double[][] grads = [[0.3, -0.2, 1.0], [-0.1, 0.4, 0.5]];
        using var p = Torch.tensor<float>(theta.Select(x => (float)x).ToArray(), 3).requires_grad_(true);
        using var opt = new AdamW([new ParamGroup([p], lr, weightDecay)], b1, b2, eps);

        double[] m = new double[3], v = new double[3], expected = (double[])theta.Clone();
        for (var t = 1; t <= 2; t++)
        {
            using var scope = DisposeScope.Enter();
            opt.zero_grad();
            // Gradient of Σ g_i·p_i is g: the step sees exactly the gradient given here.
            (p * Torch.tensor<float>(grads[t - 1].Select(x => (float)x).ToArray(), 3)).sum().Backward();
            opt.step();
            for (var i = 0; i < 3; i++)
            {
                var g = grads[t - 1][i];
                expected[i] *= 1 - lr * weightDecay;                 // decoupled weight decay
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var vHat = v[i] / (1 - Math.Pow(b2, t));
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            var actual = p.data<float>();
            for (var i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 5);
        }
        Assert.Equal(2, opt.StepCount);
    }
}
