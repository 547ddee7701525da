using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// A track's embedding (docs/method.md#embedding-a-track): normalise the log-mel, cut it into
/// windows by <see cref="EmbeddingWindows"/>, run the backbone (no head, no gradient, eval-mode norms), mean over
/// positions, mean over windows, ℓ2-normalise. Windows of equal length go through in batches. An encoder in eval mode
/// is only read (BatchNorm on its running statistics), so one embedder serves many threads at once; an encoder in
/// training mode is switched to eval for the call and back afterwards (between training steps, one thread).
/// </summary>
public sealed class TrackEmbedder(Encoder encoder, NormalisationConfig normalisation, int windowFrames = 600, int batchWindows = 32)
{
    public int Dimension => encoder.Config.Channels;
    public int WindowFrames => windowFrames;

    /// <summary>One ℓ2-normalised vector for the whole track.</summary>
    public float[] Embed(LogMel mel)
    {
        var sum = new float[Dimension];
        foreach (var (_, v) in EmbedWindows(mel))
            for (var i = 0; i < sum.Length; i++) sum[i] += v[i];
        return EmbeddingNormalisation.Normalise(sum);
    }

    /// <summary>One ℓ2-normalised vector per window, with the window's start in seconds.</summary>
    public IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel) =>
        EmbedWindows(mel).Select(w => (w.Start / EncoderConfig.FramesPerSecond, EmbeddingNormalisation.Normalise(w.Mean))).ToList();

    /// <summary>
    /// The backbone's features of a batch of normalised windows, (N, 64, frames) in <paramref name="input"/> → (N, C)
    /// averaged over positions, computed where the encoder lives: the windows go to its device in one copy and the
    /// result stays there (call under no_grad, in a dispose scope).
    /// </summary>
    public Tensor WindowFeatures(float[] input, int windows, int frames) =>
        encoder.forward(Torch.Torch.tensor<float>(input, [windows, EncoderConfig.MelBands, frames], encoder.Device)).mean(2);

    /// <summary>Mean backbone features of each window (not normalised), in time order.</summary>
    private List<(int Start, float[] Mean)> EmbedWindows(LogMel mel)
    {
        if (mel.Bands != EncoderConfig.MelBands) throw new ArgumentException($"log-mel has {mel.Bands} bands, the encoder takes {EncoderConfig.MelBands}");
        var windows = EmbeddingWindows.Plan(mel.Frames, windowFrames);
        var result = new List<(int Start, float[] Mean)>(windows.Count);
        float mean = (float)normalisation.Mean, scale = (float)(1 / normalisation.Std);
        // A served model is loaded in eval mode and never flipped, so concurrent calls share it without mutating it.
        // Between training steps (one thread) the encoder is put in eval mode for the call and back afterwards.
        var wasTraining = encoder.IsTraining;
        if (wasTraining) encoder.eval();
        try
        {
            using var noGrad = Torch.Torch.no_grad();
            foreach (var group in windows.GroupBy(w => w.Frames))
                foreach (var chunk in group.Chunk(batchWindows))
                {
                    using var scope = Torch.Torch.NewDisposeScope();
                    var frames = group.Key;
                    var input = new float[chunk.Length * mel.Bands * frames];
                    for (var w = 0; w < chunk.Length; w++)
                        for (var band = 0; band < mel.Bands; band++)
                        {
                            var source = mel.Values.AsSpan(band * mel.Frames + chunk[w].Start, frames);
                            var target = input.AsSpan((w * mel.Bands + band) * frames, frames);
                            for (var i = 0; i < frames; i++) target[i] = (source[i] - mean) * scale;
                        }
                    var features = WindowFeatures(input, chunk.Length, frames).data<float>(); // one copy back
                    for (var w = 0; w < chunk.Length; w++)
                        result.Add((chunk[w].Start, features.AsSpan(w * Dimension, Dimension).ToArray()));
                }
        }
        finally
        {
            if (wasTraining) encoder.train();
        }
        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }
}
