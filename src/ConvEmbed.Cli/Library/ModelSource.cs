using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Cli.Library;

/// <summary>What `embed` embeds with: a trained model folder, a randomly initialised encoder, or MFCC statistics.</summary>
public abstract class ModelSource
{
    /// <param name="spec">A model folder, random:SEED or mfcc.</param>
    /// <param name="encoderPreset">The encoder of random:SEED.</param>
    /// <param name="device">Where an encoder computes (MFCC statistics are computed in managed code).</param>
    public static ModelSource Parse(string spec, string encoderPreset, Torch.Device? device = null)
    {
        var on = device ?? Torch.Device.Cpu;
        if (spec.Equals("mfcc", StringComparison.OrdinalIgnoreCase)) return new Mfcc();
        if (spec.StartsWith("random:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(spec["random:".Length..], out var seed)) throw new CliError($"--model random:SEED needs an integer seed (was '{spec}')");
            return new Random(seed, EncoderConfig.FromPreset(encoderPreset), on);
        }
        if (!Directory.Exists(spec)) throw new CliError($"model folder not found: {spec} (or use random:SEED or mfcc)");
        ModelFolder.ReadConfig(spec); // a clear error now if it is not a model folder
        return new Trained(spec, on);
    }

    /// <summary>Whether the same audio gets the same vectors whatever else is embedded with it (a random encoder
    /// normalises with the library's statistics, so a clip embedded alone would not match its passages).</summary>
    public bool Stable => this is not Random;

    /// <summary>Prepares for these tracks (a random encoder normalises with their statistics).</summary>
    public abstract Session Open(IReadOnlyList<CachedLogMel> tracks);

    /// <summary>An <see cref="IEmbeddingModel"/> over the library's tracks, by index.</summary>
    public class Session(IEmbeddingModel model, IReadOnlyList<CachedLogMel> tracks) : IDisposable
    {
        public int Dimension => model.Dimension;
        public float[] Track(int index) => model.Embed(tracks[index].ReadAll());
        public IReadOnlyList<(double StartSeconds, float[] Embedding)> Segments(int index) => model.EmbedSegments(tracks[index].ReadAll());
        /// <summary>The track's passages (ℓ2-normalised, and for MFCC statistics standardised by fixed passage constants,
        /// so a clip embedded later lines up with them).</summary>
        public IReadOnlyList<Passage> Passages(int index, PassagePlan plan) => model.EmbedWithPassages(tracks[index].ReadAll(), plan).Passages;
        /// <summary>Last pass over all vectors (the MFCC baseline standardises dimensions across tracks).</summary>
        public virtual IReadOnlyList<T> Finish<T>(IReadOnlyList<T> items) => items;
        public void Dispose() => model.Dispose();
    }

    private sealed class Trained(string folder, Torch.Device device) : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks) => new(EncoderModel.Load(folder, device), tracks);
    }

    private sealed class Random(int seed, EncoderConfig config, Torch.Device device) : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks)
        {
            Torch.Torch.manual_seed(seed); // initialised on the CPU (the same weights everywhere), then moved
            var encoder = new Encoder(config);
            encoder.to(device);
            return new Session(new EncoderModel(encoder, Normalisation.Of(tracks)), tracks);
        }
    }

    private sealed class Mfcc : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks) => new MfccSession(tracks);
    }

    /// <summary>Raw MFCC statistics, standardised per dimension over the whole library at the end (as the evaluation's
    /// baseline does: docs/method.md#mfcc-statistics).</summary>
    private sealed class MfccSession(IReadOnlyList<CachedLogMel> tracks) : Session(new MfccModel(), tracks)
    {
        public override IReadOnlyList<T> Finish<T>(IReadOnlyList<T> items)
        {
            var vectors = items.Select(Vector).ToList();
            var standardised = MfccStatistics.Standardise(vectors);
            for (var i = 0; i < vectors.Count; i++) standardised[i].CopyTo(vectors[i], 0);
            return items;
        }

        private static float[] Vector<T>(T item) => item switch
        {
            TrackEmbedding t => t.Embedding,
            SegmentEmbedding s => s.Embedding,
            _ => throw new InvalidOperationException(typeof(T).Name),
        };
    }
}
