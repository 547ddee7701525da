using ConvEmbed.Service.Models;

namespace ConvEmbed.Service.Tests.Passages;

/// <summary>The passage settings' own rules (pure: what start-up validation reports).</summary>
public sealed class PassageOptionsTests
{
    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(new PassageOptions().Validate());

    [Theory]
    [InlineData(19)]
    [InlineData(1001)]
    public void CandidatesOutsideTheRangeAreNamed(int candidates)
    {
        var error = Assert.Single(new PassageOptions { Candidates = candidates }.Validate());
        Assert.Equal($"ConvEmbed:Passages:Candidates must be between 20 and 1000 (was {candidates}).", error);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1000)]
    public void CandidatesAtTheLimitsAreTaken(int candidates) => Assert.Empty(new PassageOptions { Candidates = candidates }.Validate());
}
