using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class InfoNceObjectiveTests
{
    [Fact]
    public void LossEqualsTheFormulaComputedIndependently()
    {
        const int b = 3, d = 4, t = 5;
        var z = Values(b * d * t, 1);
        var g = Values(b * d, 2);
        using var scope = Torch.Torch.NewDisposeScope();

        var loss = InfoNceObjective.LocalToGlobal(T(z, b, d, t), T(g, b, d)).item();

        double expected = 0;
        var globals = Enumerable.Range(0, b).Select(j => Normalise(Enumerable.Range(0, d).Select(k => (double)g[j * d + k]).ToArray())).ToArray();
        for (var i = 0; i < b; i++)
            for (var p = 0; p < t; p++)
            {
                var local = Normalise(Enumerable.Range(0, d).Select(k => (double)z[(i * d + k) * t + p]).ToArray());
                var logits = globals.Select(gl => Dot(local, gl) / 0.1).ToArray();
                expected -= LogSoftmax(logits)[i];
            }
        Assert.Equal(expected / (b * t), loss, 4);
    }

    [Fact]
    public void ConstantEmbeddingCostsLnB()
    {
        const int b = 8;
        using var scope = Torch.Torch.NewDisposeScope();
        var z = Torch.Torch.ones([b, 16, 7]);
        var g = Torch.Torch.ones([b, 16]);

        Assert.Equal(Math.Log(b), InfoNceObjective.LocalToGlobal(z, g).item(), 5);
    }

    [Fact]
    public void GradientReachesTheEncoderThroughOneForwardPass()
    {
        Torch.Torch.manual_seed(0);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16));
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([4, 64, 40]);

        var loss = objective.Loss(new TrainingBatch(4, Windows: x));
        loss.Backward();

        Assert.True(double.IsFinite(loss.item()));
        var first = objective.EmbeddingEncoder.parameters().First();
        Assert.True(first.Grad!.abs().sum().item() > 0);
    }
}
