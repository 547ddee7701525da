using ConvEmbed.Model.Training;

namespace ConvEmbed.Model.Tests.Training;

public sealed class TrainingOptionsTests
{
    /// <summary>Every caller gets the reference's 1e-3 at batch 32, scaled linearly, unless it sets a rate itself.</summary>
    [Theory]
    [InlineData(32, null, 1e-3)]
    [InlineData(64, null, 2e-3)]
    [InlineData(8, null, 2.5e-4)]
    [InlineData(64, 5e-4, 5e-4)]
    public void PeakLearningRateScalesWithTheBatchUnlessGiven(int batch, double? given, double expected) =>
        Assert.Equal(expected, new TrainingOptions { BatchSize = batch, LearningRate = given }.PeakLearningRate, 15);

    [Fact]
    public void ANonPositiveLearningRateIsRefused() =>
        Assert.Throws<ArgumentException>(() => new TrainingOptions { Steps = 1, LearningRate = 0 }.Validate());
}
