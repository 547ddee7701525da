using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Passages;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// An encoder as an <see cref="IEmbeddingModel"/>: a trained one from a model folder (<see cref="Load"/>), or any encoder
/// with the normalisation of its inputs (a randomly initialised baseline). It owns the encoder. A loaded model is in eval
/// mode and never switched back, so <see cref="TrackEmbedder"/> only reads it and many threads can embed at once.
/// </summary>
public sealed class EncoderModel(Encoder encoder, NormalisationConfig normalisation, int windowFrames = 600) : IEmbeddingModel
{
    private readonly TrackEmbedder embedder = new(encoder, normalisation, windowFrames);

    /// <summary>The model a training run saved (its encoder, normalisation and window length), placed on
    /// <paramref name="device"/> (the CPU by default): the weights are read on the CPU and moved, so a model trained on
    /// one device serves on any other.</summary>
    public static EncoderModel Load(string folder, Device? device = null)
    {
        var (encoder, config) = ModelFolder.LoadModel(folder);
        if (device is { } d && d != Device.Cpu)
        {
            try { encoder.to(d); }
            catch { encoder.Dispose(); throw; }
        }
        return new EncoderModel(encoder, config.Normalisation, config.WindowFrames);
    }

    public int Dimension => embedder.Dimension;

    public float[] Embed(LogMel mel) => embedder.Embed(mel);

    public IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel) => embedder.EmbedSegments(mel);

    public TrackVectors EmbedWithPassages(LogMel mel, PassagePlan plan) => embedder.EmbedWithPassages(mel, plan);

    public void Dispose() => encoder.Dispose();
}
