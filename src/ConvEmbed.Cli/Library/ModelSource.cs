using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Cli.Library;

/// <summary>What `embed` embeds with: a trained model folder, a randomly initialised encoder, or MFCC statistics.</summary>
public abstract class ModelSource
{
    public static ModelSource Parse(string spec, string encoderPreset)
    {
        if (spec.Equals("mfcc", StringComparison.OrdinalIgnoreCase)) return new Mfcc();
        if (spec.StartsWith("random:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(spec["random:".Length..], out var seed)) throw new CliError($"--model random:SEED needs an integer seed (was '{spec}')");
            return new Random(seed, EncoderConfig.FromPreset(encoderPreset));
        }
        if (!Directory.Exists(spec)) throw new CliError($"model folder not found: {spec} (or use random:SEED or mfcc)");
        ModelFolder.ReadConfig(spec); // a clear error now if it is not a model folder
        return new Trained(spec);
    }

    /// <summary>Prepares for these tracks (a random encoder normalises with their statistics).</summary>
    public abstract Session Open(IReadOnlyList<CachedLogMel> tracks);

    public abstract class Session : IDisposable
    {
        public abstract int Dimension { get; }
        public abstract float[] Track(int index);
        public abstract IReadOnlyList<(double StartSeconds, float[] Embedding)> Segments(int index);
        /// <summary>Last pass over all vectors (the MFCC baseline standardises dimensions across tracks).</summary>
        public virtual IReadOnlyList<T> Finish<T>(IReadOnlyList<T> items) => items;
        public virtual void Dispose() { }
    }

    private sealed class Trained(string folder) : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks)
        {
            var (encoder, config) = ModelFolder.LoadModel(folder);
            return new EncoderSession(encoder, tracks, new TrackEmbedder(encoder, config.Normalisation, config.WindowFrames));
        }
    }

    private sealed class Random(int seed, EncoderConfig config) : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks)
        {
            Torch.Torch.manual_seed(seed);
            var encoder = new Encoder(config);
            return new EncoderSession(encoder, tracks, new TrackEmbedder(encoder, Normalisation.Of(tracks)));
        }
    }

    private sealed class EncoderSession(Encoder encoder, IReadOnlyList<CachedLogMel> tracks, TrackEmbedder embedder) : Session
    {
        public override int Dimension => embedder.Dimension;
        public override float[] Track(int index) => embedder.Embed(tracks[index].ReadAll());
        public override IReadOnlyList<(double, float[])> Segments(int index) => embedder.EmbedSegments(tracks[index].ReadAll());
        public override void Dispose() => encoder.Dispose();
    }

    private sealed class Mfcc : ModelSource
    {
        public override Session Open(IReadOnlyList<CachedLogMel> tracks) => new MfccSession(tracks);
    }

    private sealed class MfccSession(IReadOnlyList<CachedLogMel> tracks) : Session
    {
        public override int Dimension => MfccStatistics.FeatureLength;

        public override float[] Track(int index)
        {
            var mel = tracks[index].ReadAll();
            return MfccStatistics.Compute(mel.Values, mel.Bands, mel.Frames);
        }

        public override IReadOnlyList<(double, float[])> Segments(int index)
        {
            var mel = tracks[index].ReadAll();
            var result = new List<(double, float[])>();
            foreach (var (start, frames) in EmbeddingWindows.Plan(mel.Frames, 600))
            {
                var window = new float[mel.Bands * frames];
                for (var band = 0; band < mel.Bands; band++)
                    mel.Values.AsSpan(band * mel.Frames + start, frames).CopyTo(window.AsSpan(band * frames, frames));
                result.Add((start / EncoderConfig.FramesPerSecond, MfccStatistics.Compute(window, mel.Bands, frames)));
            }
            return result;
        }

        /// <summary>MFCC statistics live on different scales: standardise each dimension over all vectors, as DESIGN.md §2 does.</summary>
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
