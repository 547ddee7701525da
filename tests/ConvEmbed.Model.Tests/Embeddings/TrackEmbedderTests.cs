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

    [Fact]
    public void MeanAndSpreadIsTheTrackVectorBesideTheStdOverPositions()
    {
        using var features = new SyntheticFeatures(perClass: 1, seconds: 3);
        Torch.Torch.manual_seed(5);
        using var encoder = new Encoder(EncoderConfig.FromPreset("rf0.2", channels: 16));
        encoder.eval();
        var normalisation = Normalisation.Of(features.Tracks);
        var mel = features.Tracks[0].ReadAll();
        var embedder = new TrackEmbedder(encoder, normalisation, windowFrames: mel.Frames); // one window: the whole track

        var both = embedder.EmbedMeanAndSpread(mel);

        Assert.Equal(32, both.Length);
        Assert.Equal(1.0, Math.Sqrt(both.Sum(v => (double)v * v)), 5);
        var plain = embedder.Embed(mel);
        for (var i = 0; i < 16; i++) Assert.Equal(plain[i], both[i] * MathF.Sqrt(2), 5);
        // The std half by hand: the encoder's positions of the one window, population std per channel, normalised.
        var input = mel.Values.Select(v => (float)((v - normalisation.Mean) / normalisation.Std)).ToArray();
        using var scope = Torch.Torch.NewDisposeScope();
        using var noGrad = Torch.Torch.no_grad();
        var positions = encoder.forward(Torch.Torch.tensor<float>(input, [1, 64, mel.Frames])).data<float>(); // (1, 16, P)
        var count = positions.Length / 16;
        var std = Enumerable.Range(0, 16).Select(c =>
        {
            var row = positions.AsSpan(c * count, count).ToArray();
            var mean = row.Average();
            return Math.Sqrt(row.Sum(v => (v - mean) * (v - mean)) / count);
        }).ToArray();
        var norm = Math.Sqrt(std.Sum(v => v * v));
        for (var c = 0; c < 16; c++) Assert.Equal(std[c] / norm / Math.Sqrt(2), both[16 + c], 4);
    }

    /// <summary>
    /// The read-outs of one pass: the plain and mean ⊕ std ones equal their own methods'; "before projection" is the
    /// mean of the features the last (1×1, linear) layer maps — so projecting that mean gives the last layer's mean —
    /// and "last two" joins both halves at equal weight.
    /// </summary>
    [Fact]
    public void ReadOutsOfOnePassAgreeWithTheirDefinitions()
    {
        Torch.Torch.manual_seed(3);
        using var encoder = new Encoder(EncoderConfig.FromPreset("rf0.2", channels: 16));
        encoder.eval();
        using var features = new SyntheticFeatures(perClass: 1, seconds: 4);
        var normalisation = Normalisation.Of(features.Tracks);
        var mel = features.Tracks[0].ReadAll();
        var embedder = new TrackEmbedder(encoder, normalisation, windowFrames: mel.Frames); // one window: the whole track

        var r = embedder.EmbedReadOuts(mel);

        Assert.Equal(embedder.Embed(mel), r.Plain);
        Assert.Equal(embedder.EmbedMeanAndSpread(mel), r.MeanStd);
        var input = mel.Values.Select(v => (float)((v - normalisation.Mean) / normalisation.Std)).ToArray();
        using var scope = Torch.Torch.NewDisposeScope();
        using var noGrad = Torch.Torch.no_grad();
        var before = encoder.ForwardBeforeProjection(Torch.Torch.tensor<float>(input, [1, 64, mel.Frames])).mean(2, keepdim: true); // (1, 16, 1)
        var beforeMean = before.data<float>();
        var norm = Math.Sqrt(beforeMean.Sum(v => (double)v * v));
        for (var c = 0; c < 16; c++) Assert.Equal(beforeMean[c] / norm, r.BeforeProjection[c], 5);
        var projected = encoder.Project(before).data<float>(); // the 1×1 layer of the mean = the mean of the layer
        var projectedNorm = Math.Sqrt(projected.Sum(v => (double)v * v));
        for (var c = 0; c < 16; c++) Assert.Equal(projected[c] / projectedNorm, r.Plain[c], 4);
        Assert.Equal(32, r.LastTwo.Length);
        Assert.Equal(1.0, Math.Sqrt(r.LastTwo.Sum(v => (double)v * v)), 5);
        for (var c = 0; c < 16; c++)
        {
            Assert.Equal(r.BeforeProjection[c] / MathF.Sqrt(2), r.LastTwo[c], 6);
            Assert.Equal(r.Plain[c] / MathF.Sqrt(2), r.LastTwo[16 + c], 6);
        }
    }
}
