using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Checkpoints;

[Collection(LibtorchRandomness.Name)]
public sealed class ModelFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-model-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void SavedModelLoadsWithTheSameLayersWeightsAndOutputs()
    {
        Torch.Torch.manual_seed(3);
        var config = EncoderConfig.FromPreset("rf1", channels: 8);
        using var objective = new InfoNceObjective(config);
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([2, 64, 50]);
        objective.EmbeddingEncoder.train();
        objective.EmbeddingEncoder.forward(x); // moves BatchNorm running statistics away from their initial values
        objective.EmbeddingEncoder.eval();
        var expected = objective.EmbeddingEncoder.forward(x).data<float>();
        var modelConfig = ModelConfig.For(config, new NormalisationConfig(-4.5, 2.25), objective.Name, 600, null);

        ModelFolder.SaveModel(folder, objective.EmbeddingEncoder, modelConfig);
        var (encoder, loaded) = ModelFolder.LoadModel(folder);
        using (encoder)
        {
            Assert.Equal(config.Layers, loaded.ToEncoderConfig().Layers);
            Assert.Equal(config.ReceptiveFieldFrames, loaded.ReceptiveFieldFrames);
            Assert.Equal(new NormalisationConfig(-4.5, 2.25), loaded.Normalisation);
            Assert.Equal(expected, encoder.forward(x).data<float>());
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void LoadingAFolderWithoutAModelSaysSo()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.LoadModel(folder));

        Assert.Contains("not a ConvEmbed model folder", error.Message);
    }

    [Fact]
    public void AModelOfAnotherFrontEndIsRefused()
    {
        Torch.Torch.manual_seed(3);
        var config = EncoderConfig.FromPreset("rf1", channels: 8);
        using var objective = new InfoNceObjective(config);
        var modelConfig = ModelConfig.For(config, new NormalisationConfig(-4.5, 2.25), objective.Name, 600, null) with
        {
            FrontEnd = new FrontEndConfig { MelBands = 80 },
        };
        ModelFolder.SaveModel(folder, objective.EmbeddingEncoder, modelConfig);
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadModel(folder));
        Assert.Contains("another front-end", error.Message);
        Assert.Contains("MelBands = 80", error.Message);
    }
}
