using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
using ConvEmbed.Model.Tests.Training;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Model.Tests.Embeddings;

/// <summary>A model's whitening (docs/method.md#whitening): fitted on the training tracks' window vectors, stored in the
/// model folder, and applied by every <see cref="EncoderModel"/> loaded from it (the CLI and the service load models
/// that way). Real libtorch, synthetic music through the real front-end.</summary>
[Collection(LibtorchRandomness.Name)]
public sealed class StoredWhiteningTests : IClassFixture<TrainerTests.Library>, IDisposable
{
    private static readonly EncoderConfig SmallEncoder = EncoderConfig.FromPreset("rf0.2", channels: 32);
    private const int Window = 160;
    private readonly TrainerTests.Library library;
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-whitening-").FullName;

    public StoredWhiteningTests(TrainerTests.Library library) => this.library = library;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private ModelConfig Config(WhiteningConfig? whitening = null) =>
        ModelConfig.For(SmallEncoder, library.Normalisation, "test", Window, null) with { Whitening = whitening };

    [Fact]
    public void AWhitenedModelStoresItsWhiteningAndEveryLoadWhitensTrackVectorsButNotPassages()
    {
        Torch.Torch.manual_seed(11);
        using var encoder = new Encoder(SmallEncoder);
        encoder.eval();
        var tracks = library.Features.Tracks;
        var raw = new TrackEmbedder(encoder, library.Normalisation, Window);
        var (whitening, fitted) = WhiteningFit.Fit(encoder, library.Normalisation, Window, tracks, shrinkage: 0.5);

        // Fitted on every window of every track.
        Assert.Equal(WhiteningFit.FittedOnWindows, fitted.FittedOn);
        Assert.Equal(tracks.Count, fitted.Tracks);
        Assert.Equal(tracks.Sum(t => raw.EmbedSegments(t.ReadAll()).Count), fitted.Vectors);
        Assert.True(fitted.Vectors > tracks.Count);
        Assert.Equal(0.5, fitted.Shrinkage);

        ModelFolder.SaveModel(folder, encoder, Config(fitted), whitening);
        Assert.True(File.Exists(Path.Combine(folder, ModelFolder.WhiteningFile)));
        var config = ModelFolder.ReadConfig(folder);
        Assert.Equal(ModelConfig.WhitenedFormat, config.Format);
        Assert.Equal(fitted, config.Whitening! with { WeightsSha256 = null }); // plus the hash of the weights it belongs to

        using var model = EncoderModel.Load(folder);
        Assert.NotNull(model.Whitening);
        var mel = tracks[3].ReadAll();
        var expected = EmbeddingNormalisation.Normalise(whitening.Apply(raw.Embed(mel)));
        var vector = model.Embed(mel);
        Assert.Equal(expected, vector); // the stored whitening is the fitted one, to the bit
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.True(Cosine(vector, raw.Embed(mel)) < 0.99, "whitening changed the vector");

        var segments = model.EmbedSegments(mel);
        var rawSegments = raw.EmbedSegments(mel);
        Assert.Equal(rawSegments.Count, segments.Count);
        for (var i = 0; i < segments.Count; i++)
            Assert.Equal(EmbeddingNormalisation.Normalise(whitening.Apply(rawSegments[i].Embedding)), segments[i].Embedding);

        var withPassages = model.EmbedWithPassages(mel, PassagePlan.Default);
        var rawPassages = raw.EmbedWithPassages(mel, PassagePlan.Default);
        Assert.Equal(vector, withPassages.Track);
        Assert.Equal(rawPassages.Passages.Select(p => p.Vector), withPassages.Passages.Select(p => p.Vector));
    }

    [Fact]
    public void SavingAgainWithoutAWhiteningDropsTheOldOne()
    {
        using var encoder = new Encoder(SmallEncoder);
        var fitted = SaveWhitened(encoder);

        ModelFolder.SaveModel(folder, encoder, Config());

        Assert.False(File.Exists(Path.Combine(folder, ModelFolder.WhiteningFile)));
        Assert.Equal(ModelConfig.CurrentFormat, ModelFolder.ReadConfig(folder).Format);
        using var model = EncoderModel.Load(folder);
        Assert.Null(model.Whitening);
        Assert.Throws<ArgumentException>(() => ModelFolder.SaveModel(folder, encoder, Config(fitted)));
    }

    [Fact]
    public void AMissingOrMismatchedWhiteningIsRefusedWithItsPath()
    {
        using var encoder = new Encoder(SmallEncoder);
        var fitted = SaveWhitened(encoder);
        var path = Path.Combine(folder, ModelFolder.WhiteningFile);
        Assert.Matches("^[0-9a-f]{64}$", ModelFolder.ReadConfig(folder).Whitening!.WeightsSha256);

        // Weights replaced behind the whitening's back (a save interrupted between the two files).
        var weights = Path.Combine(folder, ModelFolder.WeightsFile);
        var saved = File.ReadAllBytes(weights);
        Torch.Torch.manual_seed(99);
        using (var replacement = new Encoder(SmallEncoder)) replacement.Save(weights);
        var stale = Assert.Throws<InvalidDataException>(() => EncoderModel.Load(folder));
        Assert.Contains("fitted for other weights", stale.Message);
        File.WriteAllBytes(weights, saved);
        using (EncoderModel.Load(folder)) { }

        File.Delete(path);
        var missing = Assert.Throws<FileNotFoundException>(() => EncoderModel.Load(folder));
        Assert.Contains(ModelFolder.WhiteningFile, missing.Message);

        // A whitening of another dimension (as if copied from another model).
        var other = PcaWhitening.Fit(Enumerable.Range(0, 40).Select(i => new float[] { i, i % 7, i % 3, 1 }).ToList());
        var otherFolder = Path.Combine(folder, "other");
        using (var small = new Encoder(EncoderConfig.FromPreset("rf0.2", channels: 4)))
            ModelFolder.SaveModel(otherFolder, small, ModelConfig.For(EncoderConfig.FromPreset("rf0.2", channels: 4), library.Normalisation, "test", Window, null)
                with { Whitening = fitted with { Vectors = 40 } }, other);
        File.Copy(Path.Combine(otherFolder, ModelFolder.WhiteningFile), path);
        var mismatched = Assert.Throws<InvalidDataException>(() => EncoderModel.Load(folder));
        Assert.Contains("4 dimensions", mismatched.Message);
        Assert.Throws<ArgumentException>(() => ModelFolder.SaveModel(folder, encoder, Config(fitted), other));
    }

    /// <summary>Saves <paramref name="encoder"/> (put in eval mode) with a whitening fitted on the library.</summary>
    private WhiteningConfig SaveWhitened(Encoder encoder)
    {
        encoder.eval();
        var (whitening, fitted) = WhiteningFit.Fit(encoder, library.Normalisation, Window, library.Features.Tracks);
        ModelFolder.SaveModel(folder, encoder, Config(fitted), whitening);
        return fitted;
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b).Sum(p => (double)p.First * p.Second) / Math.Sqrt(a.Sum(v => (double)v * v) * b.Sum(v => (double)v * v));
}
