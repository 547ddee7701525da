using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class DinoObjectiveTests
{
    [Fact]
    public void OnlyTheStudentLearnsAndTheTeacherFollowsByEma()
    {
        Torch.Torch.manual_seed(1);
        using var dino = new DinoObjective(EncoderConfig.FromPreset("rf0.2", channels: 16), new DinoSettings { Prototypes = 32 });
        using var scope = Torch.Torch.NewDisposeScope();
        var batch = new TrainingBatch(4, Globals: Torch.Torch.randn([8, 64, 40]), Locals: Torch.Torch.randn([16, 64, 10]));
        var teacherBefore = dino.EmbeddingEncoder.parameters().First().data<float>();

        var loss = dino.Loss(batch);
        loss.Backward();
        foreach (var (_, p) in dino.TrainableParameters)
            if (p.Grad is { } grad) p.add_(grad, -10.0); // a large plain SGD step, so the EMA visibly moves the teacher
        dino.AfterStep(0.0);

        Assert.True(double.IsFinite(loss.item()));
        Assert.DoesNotContain(dino.TrainableParameters, p => p.Name.StartsWith("t_", StringComparison.Ordinal));
        Assert.All(dino.named_parameters().Where(p => p.Name.StartsWith("t_", StringComparison.Ordinal)), p => Assert.Null(p.Tensor.Grad));
        var teacherAfter = dino.EmbeddingEncoder.parameters().First().data<float>();
        Assert.NotEqual(teacherBefore, teacherAfter);
        Assert.True(dino.named_buffers().Single(b => b.Name == "center").Tensor.abs().sum().item() > 0);
    }
}
