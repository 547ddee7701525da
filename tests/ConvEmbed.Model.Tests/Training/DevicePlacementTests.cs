using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Tests.Data;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions.Device"/> decides where every tensor of a run lives, proven without a GPU on libtorch's
/// <c>meta</c> device (shapes, no data): an op that meets a tensor left on the CPU raises "expected all tensors to be
/// on the same device", so a forward pass and loss that complete on <c>meta</c> had every input, parameter, buffer and
/// temporary there. (libtorch 1.13 has no convolution backward on <c>meta</c>: the optimiser step is not covered.)
/// </summary>
[Collection(LibtorchRandomness.Name)]
public sealed class DevicePlacementTests : IClassFixture<TrainerTests.Library>
{
    private static readonly EncoderConfig SmallEncoder = EncoderConfig.FromPreset("rf0.2", channels: 32);
    private readonly TrainerTests.Library library;

    public DevicePlacementTests(TrainerTests.Library library) => this.library = library;

    private Trainer NewTrainer(Objective objective, Device device, Precision precision = Precision.Fp32) =>
        new(objective, new WindowSampler(library.Features.Tracks, library.Normalisation), new Augmentation(library.Normalisation.Std),
            new TrainingOptions { BatchSize = 8, WindowFrames = 160, Steps = 1, Seed = 3, Device = device, Precision = precision });

    [Theory]
    [InlineData(ObjectiveFactory.ConvEmbed, Variant.InfoNce)]
    [InlineData(ObjectiveFactory.ConvEmbed, Variant.InfoNceNoStopGrad)]
    [InlineData(ObjectiveFactory.ConvEmbed, Variant.VicReg)]
    [InlineData(ObjectiveFactory.ConvEmbed, Variant.DinoFree)]
    [InlineData(ObjectiveFactory.Dino, Variant.InfoNce)]
    public void EveryTensorOfAStepFollowsTheDevice(string name, Variant variant)
    {
        using var objective = ObjectiveFactory.Create(name, SmallEncoder, variant, new DinoSettings { Prototypes = 64 });
        using var trainer = NewTrainer(objective, Device.Meta, Precision.Auto);

        using var scope = Torch.Torch.NewDisposeScope();
        var loss = trainer.ForwardLoss();

        Assert.Equal(Device.Meta, loss.Device);
        Assert.Empty(loss.Shape);
        Assert.All(objective.state_dict(), p => Assert.True(p.Tensor.Device == Device.Meta, $"{p.Name} is on {p.Tensor.Device}"));
        Assert.Equal(Device.Meta, trainer.Device);
        Assert.Equal(Precision.Fp32, trainer.Precision.Precision); // autocast would hide which device an op ran on
    }

    /// <summary>The check above can fail: a CPU tensor fed to a network on <c>meta</c> is refused by libtorch.</summary>
    [Fact]
    public void ATensorLeftOnTheCpuIsRefused()
    {
        using var encoder = new Encoder(SmallEncoder);
        encoder.to(Device.Meta);
        using var scope = Torch.Torch.NewDisposeScope();
        var onCpu = Torch.Torch.zeros([2, EncoderConfig.MelBands, 100]);

        var e = Assert.ThrowsAny<Exception>(() => encoder.forward(onCpu));
        Assert.Matches("(?i)device|CPUFloatType", e.Message); // "Input type (CPUFloatType) and weight type (MetaFloatType) …"
    }

    /// <summary>Embedding: windows go to the encoder's device in one copy and the features are computed there.</summary>
    [Fact]
    public void TheEmbedderComputesWhereTheEncoderLives()
    {
        using var encoder = new Encoder(SmallEncoder);
        encoder.eval();
        encoder.to(Device.Meta);
        var embedder = new TrackEmbedder(encoder, library.Normalisation, windowFrames: 200);
        using var noGrad = Torch.Torch.no_grad();
        using var scope = Torch.Torch.NewDisposeScope();

        var features = embedder.WindowFeatures(new float[3 * EncoderConfig.MelBands * 200], 3, 200);

        Assert.Equal(Device.Meta, features.Device);
        Assert.Equal([3L, SmallEncoder.Channels], features.Shape);
    }

    /// <summary>A saved model loads onto any device (read on the CPU, then moved), and on the CPU embeds as saved.</summary>
    [Fact]
    public void ASavedModelLoadsOntoAnyDevice()
    {
        var folder = Directory.CreateTempSubdirectory("convembed-device-").FullName;
        try
        {
            Torch.Torch.manual_seed(5);
            using (var encoder = new Encoder(SmallEncoder))
                ModelFolder.SaveModel(folder, encoder, ModelConfig.For(SmallEncoder, library.Normalisation, "test", 200, null));
            var track = library.Features.Tracks[0];

            using var cpu = EncoderModel.Load(folder);
            using var again = EncoderModel.Load(folder, Device.Cpu);
            Assert.Equal(cpu.Embed(track.ReadAll()), again.Embed(track.ReadAll()));

            var (onMeta, _) = ModelFolder.LoadModel(folder);
            using (onMeta)
            {
                onMeta.to(Device.Meta);
                Assert.All(onMeta.state_dict(), p => Assert.Equal(Device.Meta, p.Tensor.Device));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheMetaDeviceIsNamedAndAlwaysAvailable()
    {
        Assert.Equal(Device.Meta, Device.Parse("meta"));
        Assert.Equal("meta", Device.Meta.ToString());
        Device.Meta.EnsureAvailable();
        using var scope = Torch.Torch.NewDisposeScope();
        Assert.Equal(Device.Meta, Torch.Torch.zeros([2, 2], device: Device.Meta).Device);
        Assert.Equal(Device.Cpu, Torch.Torch.zeros([2, 2]).Device);
    }
}
