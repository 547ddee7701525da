using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class DinoFreeObjectiveTests
{
    [Fact]
    public void LossIsCrossEntropyToSinkhornTargetsPlusKoLeo()
    {
        const int b = 3, k = 4, t = 2, c = 5;
        var z = Values(b * k * t, 10);
        var g = Values(b * k, 11, scale: 0.2);
        var features = Values(b * c, 12);
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();

        var value = DinoFreeObjective.Compute(T(z, b, k, t), T(g, b, k), T(features, b, c)).item();

        // Targets and the regulariser are checked by their own tests; here: the cross-entropy that combines them.
        var q = SinkhornKnopp.Targets(T(g, b, k) / 0.05).data<float>();
        var ce = 0.0;
        for (var i = 0; i < b; i++)
            for (var p = 0; p < t; p++)
            {
                var logProbs = LogSoftmax(Enumerable.Range(0, k).Select(j => z[(i * k + j) * t + p] / 0.1).ToArray());
                ce -= Enumerable.Range(0, k).Sum(j => q[i * k + j] * logProbs[j]);
            }
        var expected = ce / (b * t) + 0.1 * KoLeo.Loss(T(features, b, c)).item();
        Assert.Equal(expected, value, 4);
    }
}
