using ConvEmbed.Cli.Bench;

namespace ConvEmbed.Cli.Tests.Bench;

/// <summary>The claim lines of `bench objectives`: DINO's best (not its last) mark is the target; collapse and seeds.</summary>
public sealed class ObjectivesClaimTests
{
    [Fact]
    public void TheTargetIsDinosBestMarkEvenWhenItCollapsedLater()
    {
        var dino = new List<(double, double)> { (1, 0.39), (2, 0.41), (5, double.NaN), (10, double.NaN) };
        var conv = new List<(double, double)> { (0.5, 0.40), (1, 0.43), (2, 0.41) };

        var claim = ObjectivesBenchmark.TimeToDinoBest(conv, dino);

        Assert.NotNull(claim);
        Assert.Equal(0.41, claim.Value.Target);
        Assert.Equal(2, claim.Value.DinoMinutes);
        Assert.Equal(1, claim.Value.ConvMinutes);
    }

    [Fact]
    public void NotReachingTheTargetAndNothingToCompareAreDifferent()
    {
        Assert.Null(ObjectivesBenchmark.TimeToDinoBest([(1, 0.5)], [(1, double.NaN)]));
        var claim = ObjectivesBenchmark.TimeToDinoBest([(1, 0.3), (2, 0.35)], [(1, 0.36)]);
        Assert.NotNull(claim);
        Assert.Null(claim.Value.ConvMinutes);
    }

    [Fact]
    public void MeansLeaveCollapsedRunsOutAndCountThem()
    {
        BenchRow Row(string objective, double minutes, double knn20, int seed, bool collapsed = false) =>
            new(objective, minutes, knn20, knn20, knn20 / 4, 0, 1, 1, 100 * seed + 10, 0.05, collapsed, seed);
        var rows = new[]
        {
            Row("convembed", 1, 0.40, 0), Row("convembed", 1, 0.44, 1),
            Row("dino", 1, 0.38, 0), Row("dino", 1, double.NaN, 1, collapsed: true),
        };

        var summary = ObjectivesBenchmark.Summarise(rows);

        var conv = Assert.Single(summary, s => s.Objective == "convembed");
        Assert.Equal(0.42, conv.Knn20, 9);
        Assert.Equal(0.04, conv.Knn20Range, 9);
        Assert.Equal(0.105, conv.Ami, 9);
        Assert.Equal((2, 0), (conv.Seeds, conv.Collapsed));
        var dino = Assert.Single(summary, s => s.Objective == "dino");
        Assert.Equal(0.38, dino.Knn20, 9);
        Assert.Equal(0, dino.Knn20Range, 9);
        Assert.Equal((2, 1), (dino.Seeds, dino.Collapsed));
    }

    [Theory]
    [InlineData("0,1", new[] { 0, 1 })]
    [InlineData(" 3 , 3,7", new[] { 3, 7 })]
    public void SeedsAreParsedOnce(string text, int[] expected) => Assert.Equal(expected, ObjectivesBenchmark.ParseSeeds(text));

    [Theory]
    [InlineData("0,x")]
    [InlineData(",")]
    public void BadSeedsAreAUserError(string text) => Assert.Throws<CliError>(() => ObjectivesBenchmark.ParseSeeds(text));
}
