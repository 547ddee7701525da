using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Model.Tests.Encoding;

public sealed class EncoderConfigTests
{
    [Fact]
    public void TheDefaultIsTheSmallestReceptiveField() =>
        Assert.Equal(9, EncoderConfig.FromPreset(EncoderConfig.DefaultPreset).ReceptiveFieldFrames);

    [Fact]
    public void Rf02MatchesTheReferenceEncoder()
    {
        var config = EncoderConfig.FromPreset("rf0.2");

        // The original design's encoder (docs/method.md#encoder-presets): 21 frames, output hop 4, 256 channels, six convolutions.
        Assert.Equal(21, config.ReceptiveFieldFrames);
        Assert.Equal(4, config.OutputHop);
        Assert.Equal(256, config.Channels);
        Assert.Equal(6, config.Layers.Count);
        Assert.False(config.Layers[^1].NormAndActivation);
        Assert.Equal([2, 1, 2, 1], config.Layers.Skip(1).Take(4).Select(l => l.Stride));
    }

    [Theory]
    [InlineData("rf0.1", 0.1)]
    [InlineData("rf0.2", 0.2)]
    [InlineData("rf1", 1.0)]
    [InlineData("rf3", 3.0)]
    public void PresetsHaveTheReceptiveFieldTheirNameSays(string name, double seconds)
    {
        var config = EncoderConfig.FromPreset(name);

        Assert.InRange(config.ReceptiveFieldSeconds, seconds * 0.85, seconds * 1.15);
        Assert.Equal(4, config.OutputHop);
    }

    [Fact]
    public void ReceptiveFieldCountsDilationTimesEarlierStrides()
    {
        var config = new EncoderConfig("custom", [new ConvLayer(64, 8, 5, Stride: 3), new ConvLayer(8, 8, 3, Dilation: 2)]);

        Assert.Equal(1 + 4 + 2 * 2 * 3, config.ReceptiveFieldFrames);
        Assert.Equal(3, config.OutputHop);
        Assert.Equal(2, config.Layers[1].Padding);
    }

    [Fact]
    public void UnknownPresetNamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => EncoderConfig.FromPreset("rf9"));

        Assert.Contains("rf0.2", error.Message);
    }
}
