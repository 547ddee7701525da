using ConvEmbed.Model.Data;

namespace ConvEmbed.Model.Tests.Data;

public sealed class EmbeddingWindowsTests
{
    [Fact]
    public void FullWindowsAreConsecutiveAndTheRemainderIsDropped()
    {
        Assert.Equal([(0, 600), (600, 600), (1200, 600)], EmbeddingWindows.Plan(1999, 600));
    }

    [Fact]
    public void ATrackShorterThanAWindowIsOneWindowOfItsOwnLength()
    {
        Assert.Equal([(0, 250)], EmbeddingWindows.Plan(250, 600));
    }

    [Fact]
    public void AnExactMultipleKeepsEveryFrame()
    {
        Assert.Equal([(0, 100), (100, 100)], EmbeddingWindows.Plan(200, 100));
    }
}
