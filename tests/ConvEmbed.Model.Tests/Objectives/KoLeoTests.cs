using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class KoLeoTests
{
    [Fact]
    public void LossIsMinusMeanLogNearestNeighbourDistance()
    {
        const int n = 5, d = 3;
        var x = Values(n * d, 9);
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();

        var value = KoLeo.Loss(T(x, n, d)).item();

        var rows = Enumerable.Range(0, n).Select(i => Normalise(Enumerable.Range(0, d).Select(j => (double)x[i * d + j]).ToArray())).ToArray();
        var expected = -rows.Select((r, i) => Math.Log(rows.Where((_, j) => j != i)
            .Min(o => Math.Sqrt(r.Zip(o, (a, b) => (a - b) * (a - b)).Sum())) + 1e-8)).Average();
        Assert.Equal(expected, value, 4);
    }
}
