using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;

namespace ConvEmbed.Model.Tests.Data;

/// <summary>Log-mels of a few seconds of the synthetic generator's music per class, in a temporary feature cache.</summary>
public sealed class SyntheticFeatures : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-features-").FullName;

    public SyntheticFeatures(int perClass = 2, double seconds = 4, int seed = 0)
    {
        var cache = new FeatureCache(folder);
        var tracks = new List<CachedLogMel>();
        var labels = new List<string>();
        var index = 0;
        foreach (var track in new SyntheticMusic().Library(perClass, seed, seconds))
        {
            var key = ContentHash.Of(BitConverter.GetBytes(index++));
            cache.WriteAsync(key, new MelSpectrogram().Compute(track.Samples)).GetAwaiter().GetResult();
            tracks.Add(cache.Open(key));
            labels.Add(track.Label);
        }
        Tracks = tracks;
        Labels = labels;
    }

    public IReadOnlyList<CachedLogMel> Tracks { get; }
    public IReadOnlyList<string> Labels { get; }

    public void Dispose()
    {
        foreach (var t in Tracks) t.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
