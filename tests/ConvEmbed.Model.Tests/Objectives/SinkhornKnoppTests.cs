using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class SinkhornKnoppTests
{
    [Fact]
    public void EverySampleGetsAProbabilityDistribution()
    {
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();
        var q = SinkhornKnopp.Targets(T(Values(6 * 10, 5, scale: 3), 6, 10)).data<float>();

        for (var b = 0; b < 6; b++) Assert.Equal(1.0, q.Skip(b * 10).Take(10).Sum(), 4);
        Assert.All(q, v => Assert.True(v >= 0));
    }

    [Fact]
    public void PrototypeColumnsConvergeToEqualSums()
    {
        const int b = 8, k = 4;
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();
        var logits = T(Values(b * k, 6, scale: 2), b, k);

        double Spread(float[] q) => Enumerable.Range(0, k).Select(c => Enumerable.Range(0, b).Sum(r => q[r * k + c])).Max()
                                  - Enumerable.Range(0, k).Select(c => Enumerable.Range(0, b).Sum(r => q[r * k + c])).Min();
        var three = SinkhornKnopp.Targets(logits, 3).data<float>();
        var many = SinkhornKnopp.Targets(logits, 200).data<float>();
        var softmax = ConvEmbed.Torch.Functional.softmax(logits, 1).data<float>();

        Assert.True(Spread(three) < Spread(softmax), "three iterations balance the prototypes better than a softmax");
        for (var c = 0; c < k; c++) Assert.Equal((double)b / k, Enumerable.Range(0, b).Sum(r => many[r * k + c]), 3);
    }
}
