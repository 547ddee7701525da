using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Tests.Data;

namespace ConvEmbed.Model.Tests.Embeddings;

/// <summary>Serving embeds with one model from many requests at once: it must neither change the model nor the answers.</summary>
[Collection(LibtorchRandomness.Name)]
public sealed class TrackEmbedderTests
{
    [Fact]
    public async Task ManyConcurrentEmbeddingsMatchSequentialOnesAndLeaveTheModelUnchanged()
    {
        using var features = new SyntheticFeatures(perClass: 1, seconds: 7);
        var mels = features.Tracks.Select(t => t.ReadAll()).ToList();
        Torch.Torch.manual_seed(3);
        using var encoder = new Encoder(EncoderConfig.FromPreset("rf0.2", channels: 32));
        encoder.eval();
        var embedder = new TrackEmbedder(encoder, Normalisation.Of(features.Tracks), windowFrames: 200, batchWindows: 2);
        var stateBefore = encoder.state_dict().Select(p => p.Tensor.bytes()).ToList();
        var sequential = mels.Select(embedder.Embed).ToList();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => (i, embedder.Embed(mels[i % mels.Count])))));

        foreach (var (i, vector) in concurrent) Assert.Equal(sequential[i % mels.Count], vector);
        Assert.False(encoder.IsTraining);
        var stateAfter = encoder.state_dict().Select(p => p.Tensor.bytes()).ToList();
        Assert.Equal(stateBefore, stateAfter); // running statistics and the batch counter untouched
    }

    [Fact]
    public void AnEncoderInTrainingModeIsEmbeddedInEvalModeAndGivenBack()
    {
        using var features = new SyntheticFeatures(perClass: 1, seconds: 3);
        using var encoder = new Encoder(EncoderConfig.FromPreset("rf0.2", channels: 16));
        var embedder = new TrackEmbedder(encoder, Normalisation.Of(features.Tracks), windowFrames: 100);
        var mel = features.Tracks[0].ReadAll();
        var inTraining = embedder.Embed(mel);
        encoder.eval();
        Assert.Equal(embedder.Embed(mel), inTraining);
        encoder.train();
        embedder.Embed(mel);
        Assert.True(encoder.IsTraining);
    }
}
