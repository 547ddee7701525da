using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Service.Models;

/// <summary>A trained encoder from a model folder, loaded in eval mode and never switched back, so
/// <see cref="TrackEmbedder"/> only reads it and many requests can embed with it at once.</summary>
public sealed class EncoderModel : IEmbeddingModel
{
    private readonly Encoder encoder;
    private readonly TrackEmbedder embedder;

    public EncoderModel(string folder)
    {
        var (loaded, config) = ModelFolder.LoadModel(folder);
        encoder = loaded;
        embedder = new TrackEmbedder(encoder, config.Normalisation, config.WindowFrames);
    }

    public int Dimension => embedder.Dimension;

    public float[] Embed(LogMel mel) => embedder.Embed(mel);

    public void Dispose() => encoder.Dispose();
}
