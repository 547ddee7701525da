using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// An encoder as an <see cref="IEmbeddingModel"/>: a trained one from a model folder (<see cref="Load"/>), or any encoder
/// with the normalisation of its inputs (a randomly initialised baseline). It owns the encoder. A loaded model is in eval
/// mode and never switched back, so <see cref="TrackEmbedder"/> only reads it and many threads can embed at once.
/// With a <paramref name="whitening"/> (a model trained with one stores it) every track and window vector is
/// <see cref="TrackEmbedder"/>'s vector whitened and ℓ2-normalised again; passages are not whitened (the whitening
/// is fitted on tracks' and windows' vectors, not on 3-s stretches, and clip and library passages stay comparable).
/// The CLI and the service load models here, so both apply a model's whitening the same way.
/// </summary>
public sealed class EncoderModel(Encoder encoder, NormalisationConfig normalisation, int windowFrames = 600, PcaWhitening? whitening = null) : IEmbeddingModel
{
    private readonly TrackEmbedder embedder = new(encoder, normalisation, windowFrames);

    /// <summary>The model a training run saved (its encoder, normalisation and window length), placed on
    /// <paramref name="device"/> (the CPU by default): the weights are read on the CPU and moved, so a model trained on
    /// one device serves on any other.</summary>
    public static EncoderModel Load(string folder, Device? device = null)
    {
        var (encoder, config) = ModelFolder.LoadModel(folder);
        try
        {
            var whitening = ModelFolder.LoadWhitening(folder, config);
            if (whitening is not null && whitening.Dimension != encoder.Config.Channels)
                throw new InvalidDataException($"{Path.Combine(folder, ModelFolder.WhiteningFile)}: the whitening has {whitening.Dimension} dimensions, the encoder gives {encoder.Config.Channels}");
            if (device is { } d && d != Device.Cpu) encoder.to(d);
            return new EncoderModel(encoder, config.Normalisation, config.WindowFrames, whitening);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    public int Dimension => embedder.Dimension;

    /// <summary>The whitening applied to track and window vectors, or null.</summary>
    public PcaWhitening? Whitening => whitening;

    public float[] Embed(LogMel mel) => Whiten(embedder.Embed(mel));

    public IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel) =>
        whitening is null ? embedder.EmbedSegments(mel) : embedder.EmbedSegments(mel).Select(s => (s.StartSeconds, Whiten(s.Embedding))).ToList();

    public TrackVectors EmbedWithPassages(LogMel mel, PassagePlan plan)
    {
        var vectors = embedder.EmbedWithPassages(mel, plan);
        return whitening is null ? vectors : vectors with { Track = Whiten(vectors.Track) };
    }

    private float[] Whiten(float[] vector) => whitening is null ? vector : EmbeddingNormalisation.Normalise(whitening.Apply(vector));

    public void Dispose() => encoder.Dispose();
}
