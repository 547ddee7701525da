using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// The whitening a model stores when it is trained with one (docs/method.md#whitening): fitted once, at the end of
/// training, on the window vectors of the tracks it was trained on — tens per track, so even a few hundred tracks give
/// many more vectors than dimensions — and then applied unchanged by <see cref="EncoderModel"/>, so vectors do not move
/// as tracks arrive. A library larger than <see cref="MaxTracks"/> is sampled (by the run's seed).
/// </summary>
public static class WhiteningFit
{
    /// <summary>Shrinkage by default: the mean eigenvalue added before the inverse square root (<see cref="PcaWhitening"/>).</summary>
    public const double DefaultShrinkage = 1.0;
    public const int MaxTracks = 2000;
    public const string FittedOnWindows = "windows";

    /// <summary>Fits on the window vectors of <paramref name="tracks"/> (at most <see cref="MaxTracks"/> of them) as
    /// <paramref name="encoder"/> embeds them; <paramref name="progress"/> hears (tracks done, tracks to do).</summary>
    public static (PcaWhitening Whitening, WhiteningConfig Config) Fit(Encoder encoder, NormalisationConfig normalisation, int windowFrames,
        IReadOnlyList<CachedLogMel> tracks, double shrinkage = DefaultShrinkage, int seed = 0, Action<int, int>? progress = null)
    {
        if (tracks.Count < 2) throw new ArgumentException("a whitening is fitted on at least two tracks");
        var chosen = Enumerable.Range(0, tracks.Count).ToArray();
        if (chosen.Length > MaxTracks)
        {
            new Random(seed).Shuffle(chosen);
            chosen = chosen.Take(MaxTracks).Order().ToArray();
        }
        var embedder = new TrackEmbedder(encoder, normalisation, windowFrames);
        var vectors = new List<float[]>();
        for (var i = 0; i < chosen.Length; i++)
        {
            vectors.AddRange(embedder.EmbedSegments(tracks[chosen[i]].ReadAll()).Select(s => s.Embedding));
            progress?.Invoke(i + 1, chosen.Length);
        }
        var whitening = PcaWhitening.Fit(vectors, shrinkage);
        return (whitening, new WhiteningConfig(FittedOnWindows, shrinkage, vectors.Count, chosen.Length));
    }
}
