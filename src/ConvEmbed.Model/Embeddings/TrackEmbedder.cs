using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
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
    public float[] Embed(LogMel mel) => TrackVector(Run(mel, EmbeddingWindows.Plan(mel.Frames, windowFrames), positions: false));

    /// <summary>
    /// A research read-out (docs/method.md#read-outs), twice <see cref="Dimension"/> long: the track vector ⊕ the
    /// mean over windows of each channel's std over positions, each half ℓ2-normalised and the whole scaled by 1/√2
    /// (unit length, both halves weigh the same in a cosine) — the MFCC baseline's mean ⊕ std, on learnt features.
    /// </summary>
    public float[] EmbedMeanAndSpread(LogMel mel)
    {
        var windows = Run(mel, EmbeddingWindows.Plan(mel.Frames, windowFrames), positions: false, spread: true);
        var spread = new float[Dimension];
        foreach (var w in windows)
            for (var i = 0; i < spread.Length; i++) spread[i] += w.Spread![i];
        var scale = 1 / MathF.Sqrt(2);
        return [.. TrackVector(windows).Select(v => v * scale), .. EmbeddingNormalisation.Normalise(spread).Select(v => v * scale)];
    }

    /// <summary>Research read-outs of one pass (docs/method.md#read-outs): the plain vector (<see cref="Embed"/>'s),
    /// mean ⊕ std (<see cref="EmbedMeanAndSpread"/>'s), the mean of the features before the last layer's projection
    /// (ℓ2-normalised), and the last two layers' means together (each half normalised, scaled by 1/√2).</summary>
    public ReadOuts EmbedReadOuts(LogMel mel)
    {
        var windows = Run(mel, EmbeddingWindows.Plan(mel.Frames, windowFrames), positions: false, spread: true, beforeProjection: true);
        var spread = new float[Dimension];
        var before = new float[windows[0].BeforeProjection!.Length];
        foreach (var w in windows)
        {
            for (var i = 0; i < spread.Length; i++) spread[i] += w.Spread![i];
            for (var i = 0; i < before.Length; i++) before[i] += w.BeforeProjection![i];
        }
        var scale = 1 / MathF.Sqrt(2);
        var plain = TrackVector(windows);
        var pre = EmbeddingNormalisation.Normalise(before);
        return new ReadOuts(plain, [.. plain.Select(v => v * scale), .. EmbeddingNormalisation.Normalise(spread).Select(v => v * scale)], pre,
            [.. pre.Select(v => v * scale), .. plain.Select(v => v * scale)], windows.Select(w => EmbeddingNormalisation.Normalise(w.Mean)).ToList());
    }

    /// <summary>The read-outs of <see cref="EmbedReadOuts"/>; <paramref name="Windows"/> are the track's window vectors
    /// (<see cref="EmbedSegments"/>'s), what a whitening can be fitted on.</summary>
    public sealed record ReadOuts(float[] Plain, float[] MeanStd, float[] BeforeProjection, float[] LastTwo, IReadOnlyList<float[]> Windows);

    /// <summary>One ℓ2-normalised vector per window, with the window's start in seconds.</summary>
    public IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel) =>
        Run(mel, EmbeddingWindows.Plan(mel.Frames, windowFrames), positions: false)
            .Select(w => (w.Start / EncoderConfig.FramesPerSecond, EmbeddingNormalisation.Normalise(w.Mean))).ToList();

    /// <summary>
    /// The track's vector (exactly <see cref="Embed"/>'s) and its passages from the same forward pass: passage j is the
    /// ℓ2-normalised mean of the last layer's positions whose centre lies in its stretch. Positions after the last whole
    /// window (which the track vector leaves out) come from one more window aligned to the track's end.
    /// </summary>
    public TrackVectors EmbedWithPassages(LogMel mel, PassagePlan plan)
    {
        var planned = EmbeddingWindows.Plan(mel.Frames, windowFrames);
        var covered = planned[^1].Start + planned[^1].Frames;
        var run = Run(mel, planned, positions: true);
        var track = TrackVector(run); // batched as Embed batches them: the same vector to the last bit
        if (covered < mel.Frames) run.AddRange(Run(mel, [(mel.Frames - windowFrames, windowFrames)], positions: true));

        var count = plan.Count(mel.Frames);
        var sums = new float[count][];
        var counts = new int[count];
        int hop = encoder.Config.OutputHop, length = plan.LengthFrames, step = plan.HopFrames;
        var done = 0; // frames whose positions are already counted (the end-aligned window overlaps the one before)
        foreach (var w in run)
        {
            var positionCount = w.Positions!.Length / Dimension;
            for (var p = 0; p < positionCount; p++)
            {
                var centre = w.Start + p * hop + hop / 2;
                if (centre < done || centre >= mel.Frames) continue;
                // Passages j with j·step ≤ centre < j·step + length (the single passage of a short track holds all).
                var first = count == 1 ? 0 : Math.Max(0, (centre - length + step) / step);
                var last = count == 1 ? 0 : Math.Min(count - 1, centre / step);
                var position = w.Positions.AsSpan(p * Dimension, Dimension);
                for (var j = first; j <= last; j++)
                {
                    if (j * step > centre || centre >= j * step + length && count > 1) continue;
                    var sum = sums[j] ??= new float[Dimension];
                    System.Numerics.Tensors.TensorPrimitives.Add(sum, position, sum);
                    counts[j]++;
                }
            }
            done = Math.Max(done, w.Start + w.Frames);
        }
        var passages = new List<Passage>(count);
        for (var j = 0; j < count; j++)
        {
            if (counts[j] == 0) continue;
            var (start, frames) = plan.Frames(j, mel.Frames);
            passages.Add(new Passage(j, start / EncoderConfig.FramesPerSecond, (start + frames) / EncoderConfig.FramesPerSecond,
                EmbeddingNormalisation.Normalise(sums[j])));
        }
        return new TrackVectors(track, passages);
    }

    private float[] TrackVector(IReadOnlyList<Window> windows)
    {
        var sum = new float[Dimension];
        foreach (var w in windows)
            for (var i = 0; i < sum.Length; i++) sum[i] += w.Mean[i];
        return EmbeddingNormalisation.Normalise(sum);
    }

    /// <summary>
    /// The backbone's features of a batch of normalised windows, (N, 64, frames) in <paramref name="input"/> → (N, C)
    /// averaged over positions, computed where the encoder lives: the windows go to its device in one copy and the
    /// result stays there (call under no_grad, in a dispose scope).
    /// </summary>
    public Tensor WindowFeatures(float[] input, int windows, int frames) => Forward(input, windows, frames).mean(2);

    /// <summary>The backbone's last layer, (N, C, positions), for a batch of normalised windows.</summary>
    private Tensor Forward(float[] input, int windows, int frames) => encoder.forward(Input(input, windows, frames));

    private Tensor Input(float[] input, int windows, int frames) =>
        Torch.Torch.tensor<float>(input, [windows, EncoderConfig.MelBands, frames], encoder.Device);

    /// <summary>A window's mean backbone features (not normalised) and, when asked for, every position's, position major.</summary>
    private sealed record Window(int Start, int Frames, float[] Mean, float[]? Positions, float[]? Spread = null, float[]? BeforeProjection = null);

    /// <summary>The backbone over these windows of the track, in time order.</summary>
    private List<Window> Run(LogMel mel, IReadOnlyList<(int Start, int Frames)> windows, bool positions, bool spread = false, bool beforeProjection = false)
    {
        if (mel.Bands != EncoderConfig.MelBands) throw new ArgumentException($"log-mel has {mel.Bands} bands, the encoder takes {EncoderConfig.MelBands}");
        var result = new List<Window>(windows.Count);
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
                    var pre = beforeProjection ? encoder.ForwardBeforeProjection(Input(input, chunk.Length, frames)) : null;
                    var all = pre is null ? Forward(input, chunk.Length, frames) : encoder.Project(pre);
                    var features = all.mean(2).data<float>(); // one copy back
                    var preMeans = pre?.mean(2).data<float>();
                    var preWidth = preMeans is null ? 0 : preMeans.Length / chunk.Length;
                    // Positions come back position major, (N, P, C): one contiguous copy per batch.
                    var perPosition = positions ? all.transpose(1, 2).contiguous().data<float>() : null;
                    var count = perPosition is null ? 0 : perPosition.Length / chunk.Length;
                    var spreads = spread ? all.std(2, unbiased: false).data<float>() : null;
                    for (var w = 0; w < chunk.Length; w++)
                        result.Add(new Window(chunk[w].Start, frames, features.AsSpan(w * Dimension, Dimension).ToArray(),
                            perPosition?.AsSpan(w * count, count).ToArray(), spreads?.AsSpan(w * Dimension, Dimension).ToArray(),
                            preMeans?.AsSpan(w * preWidth, preWidth).ToArray()));
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
