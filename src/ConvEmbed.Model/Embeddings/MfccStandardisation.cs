using System.Collections.Concurrent;
using System.Text.Json;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// Fixed per-dimension means and standard deviations for <see cref="MfccModel"/>. Standardising over the library being
/// embedded (as the evaluation does) is impossible for a service, whose library grows while its vectors must stay put;
/// so the constants come once from a fixed reference set — the synthetic library, seed <see cref="ReferenceSeed"/> — and
/// are stored with the model.
/// </summary>
public sealed record MfccStandardisation(float[] Mean, float[] Std, string Reference)
{
    public const int ReferenceSeed = 20261124;
    // Lengths vary because the std and delta statistics depend on how long a track is.
    private static readonly double[] ReferenceSeconds = [10, 20, 30];
    private static readonly Lazy<MfccStandardisation> reference = new(ComputeReference);
    private static readonly ConcurrentDictionary<int, Lazy<MfccStandardisation>> passages = new();

    /// <summary>The constants computed from the synthetic reference set (once per process, ≈1 s).</summary>
    public static MfccStandardisation FromReferenceSet => reference.Value;

    /// <summary>
    /// The constants for passages of <paramref name="frames"/> frames, from the same reference set cut into stretches of
    /// that length. A track's constants do not fit passages: over a whole track the mean delta of a coefficient is near 0
    /// with a tiny spread, over 3 s it is not, so standardised by a track's constants those dimensions swamp the rest
    /// (neighbouring passages of one section came out orthogonal). Deterministic, so a passage's vector never changes.
    /// </summary>
    public static MfccStandardisation ForPassages(int frames) =>
        passages.GetOrAdd(frames, f => new Lazy<MfccStandardisation>(() => ComputePassageReference(f))).Value;

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static MfccStandardisation FromJson(string json) =>
        JsonSerializer.Deserialize<MfccStandardisation>(json, JsonSerializerOptions.Web) is { Mean.Length: MfccStatistics.FeatureLength, Std.Length: MfccStatistics.FeatureLength } s
            ? s
            : throw new InvalidDataException($"The MFCC standardisation does not hold {MfccStatistics.FeatureLength} means and standard deviations.");

    private static MfccStandardisation ComputeReference()
    {
        var music = new SyntheticMusic();
        var features = Enumerable.Range(0, SyntheticMusic.Labels.Count)
            .SelectMany(c => ReferenceSeconds.Select((seconds, i) => (Class: c, Index: i, Seconds: seconds)))
            .AsParallel().AsOrdered()
            .Select(t =>
            {
                var m = new MelSpectrogram().Compute(music.Generate(t.Class, t.Index, ReferenceSeed, t.Seconds).Samples);
                return MfccStatistics.Compute(m.Values, m.Bands, m.Frames);
            })
            .ToList();
        return Of(features, $"synthetic library, seed {ReferenceSeed}, {SyntheticMusic.Labels.Count} classes × tracks of {string.Join("/", ReferenceSeconds)} s");
    }

    private static MfccStandardisation ComputePassageReference(int frames)
    {
        var music = new SyntheticMusic();
        var features = Enumerable.Range(0, SyntheticMusic.Labels.Count)
            .SelectMany(c => ReferenceSeconds.Select((seconds, i) => (Class: c, Index: i, Seconds: seconds)))
            .AsParallel().AsOrdered()
            .SelectMany(t =>
            {
                var m = new MelSpectrogram().Compute(music.Generate(t.Class, t.Index, ReferenceSeed, t.Seconds).Samples);
                var windows = new List<float[]>();
                for (var start = 0; start + frames <= m.Frames; start += frames)
                {
                    var window = new float[m.Bands * frames];
                    for (var band = 0; band < m.Bands; band++) Array.Copy(m.Values, band * m.Frames + start, window, band * frames, frames);
                    windows.Add(MfccStatistics.Compute(window, m.Bands, frames));
                }
                return windows;
            })
            .ToList();
        return Of(features, $"synthetic library, seed {ReferenceSeed}, cut into stretches of {frames} frames");
    }

    private static MfccStandardisation Of(List<float[]> features, string reference)
    {
        var mean = new float[MfccStatistics.FeatureLength];
        var std = new float[MfccStatistics.FeatureLength];
        for (var k = 0; k < mean.Length; k++)
        {
            double m = features.Average(f => (double)f[k]);
            double s = Math.Sqrt(features.Average(f => (f[k] - m) * (f[k] - m)));
            mean[k] = (float)m;
            std[k] = (float)Math.Max(s, 1e-6);
        }
        return new MfccStandardisation(mean, std, reference);
    }
}
