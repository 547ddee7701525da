using System.Text.Json;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Service.Models;

/// <summary>
/// The model the service starts on before any training (DESIGN.md §4): the 80-d MFCC statistics of
/// <see cref="MfccStatistics"/>, each dimension standardised with a fixed mean and std, then ℓ2-normalised.
/// The CLI standardises over the library it embeds; a service cannot (the library grows, and vectors must not change
/// with it), so the constants are computed once from a fixed reference set — the synthetic library, seed
/// <see cref="ReferenceSeed"/> — and stored with the model row. Deterministic: same audio, same vector.
/// </summary>
public sealed class BootstrapModel(BootstrapModel.Standardisation standardisation) : IEmbeddingModel
{
    public const string Kind = "bootstrap-mfcc";
    public const int ReferenceSeed = 20261124;
    // Lengths vary because the std and delta statistics depend on how long a track is.
    private static readonly double[] ReferenceSeconds = [10, 20, 30];

    public sealed record Standardisation(float[] Mean, float[] Std, string Reference);

    private static readonly Lazy<Standardisation> Reference = new(ComputeReference);

    public int Dimension => MfccStatistics.FeatureLength;

    public float[] Embed(LogMel mel)
    {
        var features = MfccStatistics.Compute(mel.Values, mel.Bands, mel.Frames);
        for (var i = 0; i < features.Length; i++)
            features[i] = (features[i] - standardisation.Mean[i]) / standardisation.Std[i];
        return EmbeddingNormalisation.Normalise(features);
    }

    public void Dispose() { }

    /// <summary>The constants a new bootstrap model is registered with (computed once per process, ≈1 s).</summary>
    public static Standardisation ReferenceStandardisation => Reference.Value;

    public static string ToSettings(Standardisation s) => JsonSerializer.Serialize(s, JsonSerializerOptions.Web);

    public static Standardisation FromSettings(string json) =>
        JsonSerializer.Deserialize<Standardisation>(json, JsonSerializerOptions.Web) is { Mean.Length: MfccStatistics.FeatureLength, Std.Length: MfccStatistics.FeatureLength } s
            ? s
            : throw new InvalidDataException("The bootstrap model's settings do not hold 80 means and standard deviations.");

    private static Standardisation ComputeReference()
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
        var mean = new float[MfccStatistics.FeatureLength];
        var std = new float[MfccStatistics.FeatureLength];
        for (var k = 0; k < mean.Length; k++)
        {
            double m = features.Average(f => (double)f[k]);
            double s = Math.Sqrt(features.Average(f => (f[k] - m) * (f[k] - m)));
            mean[k] = (float)m;
            std[k] = (float)Math.Max(s, 1e-6);
        }
        return new Standardisation(mean, std,
            $"synthetic library, seed {ReferenceSeed}, {SyntheticMusic.Labels.Count} classes × tracks of {string.Join("/", ReferenceSeconds)} s");
    }
}
