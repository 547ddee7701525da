using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Objectives;

[Collection(LibtorchRandomness.Name)]
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
        var centerBefore = dino.named_buffers().Single(b => b.Name == "center").Tensor.data<float>();
        // The teacher's output on this batch, as the loss computes it (head on the mean over positions of the 2 globals).
        var teacherHead = dino.named_children().Single(c => c.Name == "t_head").Module;
        float[] teacherOutput;
        using (Torch.Torch.no_grad())
            teacherOutput = teacherHead.forward(dino.EmbeddingEncoder.forward(batch.Globals!).mean(2, keepdim: true)).squeeze(2).data<float>();

        var loss = dino.Loss(batch);
        loss.Backward();
        foreach (var (_, p) in dino.TrainableParameters)
            if (p.Grad is { } grad) p.add_(grad, -10.0); // a large plain SGD step, so the EMA visibly moves the teacher
        // The student's counterpart of the teacher's first parameter, after the step.
        var firstTeacher = dino.named_parameters().First(q => q.Name.StartsWith("t_enc.", StringComparison.Ordinal)).Name;
        var student = dino.TrainableParameters.Single(p => p.Name == "enc." + firstTeacher["t_enc.".Length..]).Tensor.data<float>();
        dino.AfterStep(0.0);

        Assert.True(double.IsFinite(loss.item()));
        Assert.DoesNotContain(dino.TrainableParameters, p => p.Name.StartsWith("t_", StringComparison.Ordinal));
        Assert.All(dino.named_parameters().Where(p => p.Name.StartsWith("t_", StringComparison.Ordinal)), p => Assert.Null(p.Tensor.Grad));

        // One EMA update at progress 0, m = 0.99 (the default): θ_t ← m·θ_t + (1 − m)·θ_s, element by element.
        const double m = 0.99;
        var teacherAfter = dino.EmbeddingEncoder.parameters().First().data<float>();
        for (var i = 0; i < teacherAfter.Length; i++)
            Assert.Equal(m * teacherBefore[i] + (1 - m) * student[i], teacherAfter[i], 5);
        Assert.NotEqual(teacherBefore, teacherAfter);

        // The centre: c ← 0.9·c + 0.1·mean over the teacher outputs of the batch (per prototype).
        var centerAfter = dino.named_buffers().Single(b => b.Name == "center").Tensor.data<float>();
        int k = centerAfter.Length, rows = teacherOutput.Length / k;
        for (var j = 0; j < k; j++)
        {
            var mean = Enumerable.Range(0, rows).Average(r => (double)teacherOutput[r * k + j]);
            Assert.Equal(0.9 * centerBefore[j] + 0.1 * mean, centerAfter[j], 5);
        }
    }
}
