using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Heads;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// The DINO baseline (Caron et al., 2021): a student (encoder + prototype head on the mean over positions) learns
/// to match an EMA teacher across crops — the teacher sees 2 global crops of W frames, the student those plus
/// N local crops of W/4 — with <see cref="DinoLoss"/>. After each step θ_t ← m·θ_t + (1−m)·θ_s, m follows a cosine from <see cref="DinoSettings.TeacherMomentum"/> (0.99) to 1.
/// Embeddings come from the teacher's encoder, as in DINO.
/// </summary>
public sealed class DinoObjective : Objective
{
    private readonly Encoder student;
    private readonly PrototypeHead studentHead;
    private readonly Encoder teacher;
    private readonly PrototypeHead teacherHead;
    private readonly DinoLoss loss;
    private Tensor? lastTeacherOutput;

    public DinoObjective(EncoderConfig config, DinoSettings settings)
    {
        Settings = settings;
        student = RegisterModule("enc", new Encoder(config));
        studentHead = RegisterModule("head", new PrototypeHead(config.Channels, settings.Prototypes));
        teacher = RegisterModule("t_enc", new Encoder(config));
        teacherHead = RegisterModule("t_head", new PrototypeHead(config.Channels, settings.Prototypes));
        teacher.CopyFrom(student);
        teacherHead.load_state_dict(studentHead.state_dict().ToDictionary(p => p.Name, p => p.Tensor));
        foreach (var p in teacher.parameters().Concat(teacherHead.parameters())) p.requires_grad_(false);
        loss = new DinoLoss(settings.Prototypes, settings.StudentTemperature, settings.CenterMomentum);
        RegisterBuffer("center", loss.Center);
    }

    public DinoSettings Settings { get; }
    public override string Name => "dino";
    public override bool UsesMultiCrop => true;
    public override int LocalCrops => Settings.LocalCrops;
    public override Encoder EmbeddingEncoder => teacher;

    public override IEnumerable<(string Name, Tensor Tensor)> TrainableParameters =>
        named_parameters().Where(p => !p.Name.StartsWith("t_", StringComparison.Ordinal));

    public override Tensor Loss(TrainingBatch batch)
    {
        var globals = batch.Globals ?? throw new InvalidOperationException("DINO needs global crops");
        Tensor t;
        using (Torch.Torch.no_grad())
            t = teacherHead.forward(teacher.forward(globals).mean(2, keepdim: true)).squeeze(2).@float(); // (2B, K)
        var s = Student(globals);
        if (batch.Locals is { } locals) s = Torch.Torch.cat([s, Student(locals)], 0);
        s = s.@float(); // the loss (softmax at temperature 0.04–0.1) in fp32 under autocast
        lastTeacherOutput = t;
        return loss.Compute(t, s, (int)(globals.size(0) / batch.BatchSize), batch.BatchSize, Settings.TeacherTemperature);
    }

    private Tensor Student(Tensor x) => studentHead.forward(student.forward(x).mean(2, keepdim: true)).squeeze(2);

    public override void AfterStep(double progress)
    {
        var m = Schedules.TeacherMomentum(Settings.TeacherMomentum, progress);
        using (Torch.Torch.no_grad())
        using (Torch.Torch.NewDisposeScope())
        {
            Ema(student, teacher, m);
            Ema(studentHead, teacherHead, m);
            // BatchNorm running statistics follow the student directly (docs/method.md#dino-baseline).
            foreach (var ((_, s), (_, t)) in student.named_buffers().Zip(teacher.named_buffers())) t.copy_(s);
        }
        if (lastTeacherOutput is not null) loss.UpdateCenter(lastTeacherOutput);
    }

    private static void Ema(Torch.Modules.Module source, Torch.Modules.Module target, double m)
    {
        foreach (var (s, t) in source.parameters().Zip(target.parameters()))
            t.mul_(m).add_(s.detach(), 1 - m);
    }
}
