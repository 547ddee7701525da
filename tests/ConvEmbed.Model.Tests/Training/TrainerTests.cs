using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Tests.Data;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch.Optim;

namespace ConvEmbed.Model.Tests.Training;

/// <summary>Short real trainings (libtorch, synthetic music through the real front-end), a few seconds each.</summary>
[Collection(LibtorchRandomness.Name)]
public sealed class TrainerTests : IClassFixture<TrainerTests.Library>, IDisposable
{
    public sealed class Library : IDisposable
    {
        public SyntheticFeatures Features { get; } = new(perClass: 2, seconds: 4);
        public NormalisationConfig Normalisation { get; }
        public Library() => Normalisation = Model.Data.Normalisation.Of(Features.Tracks);
        public void Dispose() => Features.Dispose();
    }

    private readonly Library library;
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-trainer-").FullName;

    public TrainerTests(Library library) => this.library = library;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly EncoderConfig SmallEncoder = EncoderConfig.FromPreset("rf0.2", channels: 32);

    private TrainingOptions Options(int steps) => new()
    {
        BatchSize = 8, WindowFrames = 160, Steps = steps, WarmupSteps = 5, Seed = 7, ReportEvery = 1,
    };

    private Trainer NewTrainer(Objective objective, TrainingOptions options) =>
        new(objective, new WindowSampler(library.Features.Tracks, library.Normalisation), new Augmentation(library.Normalisation.Std), options);

    private static Objective NewObjective(string name, long seed)
    {
        Torch.Torch.manual_seed(seed);
        return ObjectiveFactory.Create(name, SmallEncoder, dino: new DinoSettings { Prototypes = 64 });
    }

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Bf16)] // autocast (emulated where the CPU lacks bf16 instructions: slower, same arithmetic)
    public void AShortRunLowersTheLossAndDoesNotCollapse(Precision precision)
    {
        using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 1);
        using var trainer = NewTrainer(objective, Options(60) with { Precision = precision });
        Assert.Equal(precision, trainer.Precision.Precision);
        var reports = new List<TrainingProgress>();

        trainer.Run(new Synchronous(reports.Add));

        Assert.Equal(60, reports.Count);
        var first = reports.Take(10).Average(r => r.Loss);
        var last = reports.TakeLast(10).Average(r => r.Loss);
        Assert.True(last < first - 0.1, $"loss went from {first:F3} to {last:F3}");
        var std = reports[^1].EmbeddingStd!.Value;
        Assert.True(std > 0.2 / Math.Sqrt(SmallEncoder.Channels), $"embedding std {std:F4} looks collapsed");
        Assert.All(reports, r => Assert.True(r.StepsPerSecond > 0 && r.WindowsPerSecond == r.StepsPerSecond * 8));
    }

    [Fact]
    public void ChunkViewsReachTheForwardPassAndTrain()
    {
        double[] Losses(ChunkAugmentation? chunks)
        {
            using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 4);
            using var trainer = new Trainer(objective, new WindowSampler(library.Features.Tracks, library.Normalisation),
                new Augmentation(library.Normalisation.Std) { Chunks = chunks }, Options(8));
            return Enumerable.Range(0, 8).Select(_ => trainer.TakeStep().Loss).ToArray();
        }

        var whole = Losses(null);
        var views = Losses(new ChunkAugmentation(4, library.Normalisation.Std, mixup: 0.2));
        Assert.All(views, loss => Assert.True(double.IsFinite(loss)));
        Assert.NotEqual(whole[0], views[0]); // the same seed and weights: only the views differ
        Assert.Equal(whole, Losses(null)); // and without them a run repeats itself
    }

    [Fact]
    public void ACollapsedRunStopsWithAMessageSayingWhatToChange()
    {
        // A freshly initialised encoder maps every window to nearly the same direction; with no grace period and a
        // learning rate too small to move it, the monitor must call it collapsed at the first report.
        using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 2);
        using var trainer = NewTrainer(objective, Options(50) with { CollapseGraceSteps = 0, LearningRate = 1e-12, ReportEvery = 5 });

        var error = Assert.Throws<TrainingCollapsedException>(() => trainer.Run());

        Assert.Equal(5, trainer.Step);
        Assert.Contains("collapsed at step 5", error.Message);
        Assert.Contains("learning rate", error.Message);
    }

    [Theory]
    [InlineData(ObjectiveFactory.ConvEmbed, Precision.Fp32)]
    [InlineData(ObjectiveFactory.Dino, Precision.Fp32)]
    [InlineData(ObjectiveFactory.ConvEmbed, Precision.Bf16)]
    [InlineData(ObjectiveFactory.Dino, Precision.Bf16)]
    public void AResumedRunEndsBitForBitWhereAnUninterruptedOneDoes(string name, Precision precision)
    {
        var options = Options(12) with { Precision = precision };
        using var straight = NewObjective(name, 3);
        using (var trainer = NewTrainer(straight, options)) trainer.Run();

        using (var first = NewObjective(name, 3))
        using (var trainer = NewTrainer(first, options))
        {
            using var stop = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                trainer.Run(new Synchronous(p => { if (p.Step == 5) stop.Cancel(); }), cancellationToken: stop.Token));
            Assert.Equal(5, trainer.Step);
            TrainingCheckpoint.Save(folder, first, trainer, options);
        }
        using var resumed = NewObjective(name, 99); // different initial weights: everything must come from the checkpoint
        using (var trainer = NewTrainer(resumed, options))
        {
            TrainingCheckpoint.Restore(folder, resumed, trainer, TrainingCheckpoint.ReadState(folder));
            trainer.Run();
            Assert.Equal(12, trainer.Step);
        }

        var expected = straight.state_dict().ToDictionary(p => p.Name, p => p.Tensor.data<float>());
        foreach (var (key, tensor) in resumed.state_dict())
            if (tensor.DType == Torch.ScalarType.Float32)
                Assert.True(expected[key].AsSpan().SequenceEqual(tensor.data<float>()), $"{key} differs after resume");
    }

    /// <summary>
    /// fp16's loss scaling, run in fp32 on the CPU (fp16 autocast needs CUDA): scales are powers of two, so a scaled
    /// run ends bit for bit where an unscaled one does, while the scale grows on schedule; a checkpoint carries the
    /// scale, and a resumed run continues it.
    /// </summary>
    [Fact]
    public void ALossScaledRunEqualsAnUnscaledOneAndItsCheckpointKeepsTheScale()
    {
        var options = Options(6);
        using var plain = NewObjective(ObjectiveFactory.ConvEmbed, 3);
        using (var trainer = NewTrainer(plain, options)) trainer.Run();

        using var scaled = NewObjective(ObjectiveFactory.ConvEmbed, 3);
        var scaler = new GradScaler(initScale: 1024, growthInterval: 4);
        using (var trainer = new Trainer(scaled, new WindowSampler(library.Features.Tracks, library.Normalisation),
                   new Augmentation(library.Normalisation.Std), options, scaler))
        {
            trainer.Run();
            TrainingCheckpoint.Save(folder, scaled, trainer, options);
        }
        Assert.Equal((2048.0, 2, 0L), (scaler.Scale, scaler.GoodSteps, scaler.SkippedSteps));
        var expected = plain.state_dict().ToDictionary(p => p.Name, p => p.Tensor.data<float>());
        foreach (var (key, tensor) in scaled.state_dict())
            if (tensor.DType == Torch.ScalarType.Float32)
                Assert.True(expected[key].AsSpan().SequenceEqual(tensor.data<float>()), $"{key} differs with loss scaling");

        var state = TrainingCheckpoint.ReadState(folder);
        Assert.Equal(new TrainingCheckpoint.LossScaleState(2048, 2, 0), state.LossScale);
        using var again = NewObjective(ObjectiveFactory.ConvEmbed, 3);
        var restored = new GradScaler();
        using var resumed = new Trainer(again, new WindowSampler(library.Features.Tracks, library.Normalisation),
            new Augmentation(library.Normalisation.Std), options, restored);
        TrainingCheckpoint.Restore(folder, again, resumed, state);
        Assert.Equal((2048.0, 2), (restored.Scale, restored.GoodSteps));
    }

    [Fact]
    public void AStepWhoseScaledGradientsOverflowChangesNoWeightAndHalvesTheScale()
    {
        using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 5);
        var scaler = new GradScaler(initScale: 1e39); // beyond fp32: every scaled gradient is infinite
        using var trainer = new Trainer(objective, new WindowSampler(library.Features.Tracks, library.Normalisation),
            new Augmentation(library.Normalisation.Std), Options(3), scaler);
        var before = objective.TrainableParameters.ToDictionary(p => p.Name, p => p.Tensor.data<float>());

        var (loss, _) = trainer.TakeStep();

        Assert.True(double.IsFinite(loss), $"the loss itself is unscaled: {loss}");
        Assert.Equal(1, scaler.SkippedSteps);
        Assert.Equal(5e38, scaler.Scale);
        Assert.Equal(0, trainer.Optimizer.StepCount);
        foreach (var (name, tensor) in objective.TrainableParameters)
            Assert.True(before[name].AsSpan().SequenceEqual(tensor.data<float>()), $"{name} changed in a skipped step");
    }

    /// <summary>
    /// state.json is the commit point: a save interrupted after its tensor file was written leaves the previous
    /// checkpoint in force; older tensor files go once a save commits; a damaged tensor file is refused.
    /// </summary>
    [Fact]
    public void CheckpointsCommitWithOneRenameAndRefuseDamage()
    {
        var options = Options(8);
        using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 3);
        using var trainer = NewTrainer(objective, options);
        var training = Path.Combine(folder, "training");
        trainer.TakeStep(); trainer.TakeStep();
        objective.train();
        TrainingCheckpoint.Save(folder, objective, trainer, options);
        trainer.TakeStep();
        TrainingCheckpoint.Save(folder, objective, trainer, options);
        Assert.Equal(["state-3.safetensors", "state.json"], Directory.GetFiles(training).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // A crash between the tensor file and state.json: the next tensor file exists, state.json still names step 3.
        File.Copy(Path.Combine(training, "state-3.safetensors"), Path.Combine(training, "state-4.safetensors"));
        var state = TrainingCheckpoint.ReadState(folder);
        Assert.Equal(3, state.Step);
        Assert.Equal("state-3.safetensors", state.Tensors);
        using (var again = NewObjective(ObjectiveFactory.ConvEmbed, 9))
        using (var resumed = NewTrainer(again, options))
        {
            TrainingCheckpoint.Restore(folder, again, resumed, state);
            Assert.Equal(3, resumed.Step);
        }

        // One flipped byte in the tensors: resume is refused, naming the hash.
        var file = Path.Combine(training, "state-3.safetensors");
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        using var other = NewObjective(ObjectiveFactory.ConvEmbed, 9);
        using var refused = NewTrainer(other, options);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Restore(folder, other, refused, state));
        Assert.Contains("SHA-256", e.Message);
    }

    /// <summary>Loading a state of another shape names the tensor and both shapes instead of broadcasting into it.</summary>
    [Fact]
    public void AStateOfAnotherShapeIsRefused()
    {
        using var small = NewObjective(ObjectiveFactory.ConvEmbed, 1);
        Torch.Torch.manual_seed(1);
        using var wide = ObjectiveFactory.Create(ObjectiveFactory.ConvEmbed, EncoderConfig.FromPreset("rf0.2", channels: 48));
        var e = Assert.Throws<InvalidDataException>(() => small.load_state_dict(wide.state_dict().ToDictionary(p => p.Name, p => p.Tensor)));
        Assert.Matches(@"tensor '[^']+' has shape \[48.*\] in the saved state but \[32.*\] in the module", e.Message);
    }

    [Fact]
    public void TheTrackEmbedderGivesUnitVectorsThatDependOnTheTrack()
    {
        using var objective = NewObjective(ObjectiveFactory.ConvEmbed, 5);
        var embedder = new Model.Embeddings.TrackEmbedder(objective.EmbeddingEncoder, library.Normalisation, windowFrames: 100);
        var a = embedder.Embed(library.Features.Tracks[0].ReadAll());
        var b = embedder.Embed(library.Features.Tracks[^1].ReadAll());
        var segments = embedder.EmbedSegments(library.Features.Tracks[0].ReadAll());

        Assert.Equal(32, a.Length);
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 1e-5);
        Assert.NotEqual(a, b);
        Assert.Equal(library.Features.Tracks[0].Frames / 100, segments.Count);
        Assert.Equal([0.0, 1.0, 2.0], segments.Take(3).Select(s => s.StartSeconds));
        Assert.True(objective.EmbeddingEncoder.IsTraining, "embedding must restore training mode");
    }

    private sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
