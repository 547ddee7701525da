using ConvEmbed.Model.Training;

namespace ConvEmbed.Model.Tests.Training;

public sealed class SchedulesTests
{
    [Fact]
    public void LearningRateWarmsUpLinearlyThenDecaysByCosine()
    {
        Assert.Equal(1e-5, Schedules.LearningRate(1e-3, 0, 100, 0), 12);
        Assert.Equal(1e-3, Schedules.LearningRate(1e-3, 99, 100, 0.01), 12);
        Assert.Equal(0.5e-3, Schedules.LearningRate(1e-3, 500, 100, 0.5), 12);
        Assert.Equal(0, Schedules.LearningRate(1e-3, 900, 100, 1.0), 12);
    }

    [Fact]
    public void TeacherMomentumGoesFromStartToOne()
    {
        Assert.Equal(0.996, Schedules.TeacherMomentum(0.996, 0), 12);
        Assert.Equal(0.998, Schedules.TeacherMomentum(0.996, 0.5), 12);
        Assert.Equal(1.0, Schedules.TeacherMomentum(0.996, 1), 12);
    }
}
