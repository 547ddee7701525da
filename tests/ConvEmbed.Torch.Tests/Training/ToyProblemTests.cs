using ConvEmbed.Torch.Modules;
using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Torch.Tests.Training;

public class ToyProblemTests
{
    /// <summary>Two interleaved spirals: not linearly separable, so success shows autograd + AdamW + modules work together.</summary>
    [Fact]
    public void SmallNetworkLearnsTwoSpirals()
    {
        Torch.manual_seed(0);
        const int perClass = 100;
        var xs = new float[2 * perClass * 2];
        var ys = new long[2 * perClass];
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < perClass; i++)
            {
                var r = (double)i / perClass;
                var a = 1.75 * r * 2 * Math.PI + c * Math.PI;
                var j = c * perClass + i;
                (xs[2 * j], xs[2 * j + 1], ys[j]) = ((float)(r * Math.Cos(a)), (float)(r * Math.Sin(a)), c);
            }
        using var x = Torch.tensor<float>(xs, 2 * perClass, 2);
        using var y = Torch.tensor<long>(ys, 2 * perClass);
        using var net = new Sequential(new Linear(2, 64), Activation.Tanh(), new Linear(64, 64), Activation.Tanh(),
            new LayerNorm(64), new Linear(64, 2));
        using var opt = AdamW.ForModule(net, lr: 0.01, weightDecay: 1e-4);
        for (var step = 0; step < 600; step++)
        {
            using var scope = DisposeScope.Enter();
            opt.zero_grad();
            Functional.cross_entropy(net.forward(x), y).Backward();
            GradientClipping.clip_grad_norm_(net.parameters(), 5.0);
            opt.step();
        }
        using var eval = DisposeScope.Enter();
        using var noGrad = new NoGradScope();
        var pred = net.forward(x).argmax(1).data<long>();
        var accuracy = pred.Zip(ys, (p, t) => p == t ? 1.0 : 0.0).Average();
        Assert.True(accuracy > 0.95, $"accuracy {accuracy}");
    }

    [Fact]
    public void AdamWGroupsDecayOnlyWeightMatrices()
    {
        using var net = new Sequential(new Conv1d(2, 3, 3), new BatchNorm1d(3), new Linear(4, 2));
        using var opt = AdamW.ForModule(net, weightDecay: 0.1);
        Assert.Equal(2, opt.Groups[0].Parameters.Count); // conv and linear weights
        Assert.Equal(0.0, opt.Groups[1].WeightDecay);
        Assert.Equal(4, opt.Groups[1].Parameters.Count); // biases, BN weight and bias
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"], net.named_parameters().Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], net.named_buffers().Select(p => p.Name));
    }

    [Fact]
    public void ClipGradNormScalesToMaxNorm()
    {
        using var p = Torch.tensor<float>([3f, 4f], 2).requires_grad_();
        using (var scope = DisposeScope.Enter()) (p * p).sum().Backward(); // grad = 2p = (6, 8), norm 10
        var norm = GradientClipping.clip_grad_norm_([p], 1.0);
        Assert.Equal(10.0, norm, 4);
        using var g = p.Grad!;
        Assert.Equal(1.0, Math.Sqrt(g.data<float>().Sum(v => v * v)), 4);
    }
}
