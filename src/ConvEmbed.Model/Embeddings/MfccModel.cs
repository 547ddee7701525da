using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// The MFCC-statistics baseline as an <see cref="IEmbeddingModel"/> (80 values, <see cref="MfccStatistics"/>). With a
/// <see cref="MfccStandardisation"/> each dimension is standardised by fixed constants and the vector ℓ2-normalised: the
/// service's bootstrap model, whose vectors must not change as the library grows. Without one the statistics are
/// returned raw, for a caller that standardises over a whole library at once (the CLI's <c>embed --model mfcc</c>).
/// Deterministic: same audio, same vector.
/// </summary>
public sealed class MfccModel(MfccStandardisation? standardisation = null) : IEmbeddingModel
{
    public int Dimension => MfccStatistics.FeatureLength;

    public float[] Embed(LogMel mel) => Finish(MfccStatistics.Compute(mel.Values, mel.Bands, mel.Frames));

    public IReadOnlyList<(double StartSeconds, float[] Embedding)> EmbedSegments(LogMel mel)
    {
        var result = new List<(double, float[])>();
        foreach (var (start, frames) in EmbeddingWindows.Plan(mel.Frames, 600))
            result.Add((start / EncoderConfig.FramesPerSecond, Finish(Statistics(mel, start, frames))));
        return result;
    }

    /// <summary>The track's vector and the statistics of each passage's frames, standardised by the constants for
    /// passages of the plan's length (<see cref="MfccStandardisation.ForPassages"/>, also without a track
    /// standardisation) and ℓ2-normalised.</summary>
    public TrackVectors EmbedWithPassages(LogMel mel, PassagePlan plan)
    {
        var count = plan.Count(mel.Frames);
        var passageStandardisation = MfccStandardisation.ForPassages(plan.LengthFrames);
        var passages = new List<Passage>(count);
        for (var j = 0; j < count; j++)
        {
            var (start, frames) = plan.Frames(j, mel.Frames);
            if (frames < 2) continue; // a delta needs two frames
            passages.Add(new Passage(j, start / EncoderConfig.FramesPerSecond, (start + frames) / EncoderConfig.FramesPerSecond,
                Standardise(Statistics(mel, start, frames), passageStandardisation)));
        }
        return new TrackVectors(Embed(mel), passages);
    }

    private static float[] Statistics(LogMel mel, int start, int frames)
    {
        var window = new float[mel.Bands * frames];
        for (var band = 0; band < mel.Bands; band++)
            mel.Values.AsSpan(band * mel.Frames + start, frames).CopyTo(window.AsSpan(band * frames, frames));
        return MfccStatistics.Compute(window, mel.Bands, frames);
    }

    public void Dispose() { }

    private float[] Finish(float[] features) => standardisation is null ? features : Standardise(features, standardisation);

    private static float[] Standardise(float[] features, MfccStandardisation by)
    {
        for (var i = 0; i < features.Length; i++)
            features[i] = (features[i] - by.Mean[i]) / by.Std[i];
        return EmbeddingNormalisation.Normalise(features);
    }
}
