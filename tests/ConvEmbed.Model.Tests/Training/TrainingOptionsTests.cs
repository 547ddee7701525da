using ConvEmbed.Model.Training;

namespace ConvEmbed.Model.Tests.Training;

public sealed class TrainingOptionsTests
{
    /// <summary>Every caller gets 1e-3 at batch 32 (docs/method.md#training), scaled linearly, unless it sets a rate itself.</summary>
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

    /// <summary>One window rule for the trainer, the CLI's options and the service's training request.</summary>
    [Theory]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(600, true)]
    [InlineData(6000, true)]
    [InlineData(6001, false)]
    public void AWindowIsBetween32And6000Frames(int frames, bool valid)
    {
        Assert.Equal(valid, TrainingOptions.WindowProblem(frames) is null);
        var validate = () => new TrainingOptions { Steps = 1, WindowFrames = frames }.Validate();
        if (valid) validate();
        else Assert.Equal(TrainingOptions.WindowProblem(frames), Assert.Throws<ArgumentException>(validate).Message);
    }
}
