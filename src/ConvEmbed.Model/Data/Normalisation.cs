using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;

namespace ConvEmbed.Model.Data;

/// <summary>
/// The one scalar mean and standard deviation of all log-mel values of a library (docs/method.md#front-end),
/// accumulated track by track in double precision so no track is loaded whole twice.
/// </summary>
public static class Normalisation
{
    public static NormalisationConfig Of(IEnumerable<CachedLogMel> tracks)
    {
        double sum = 0, sumSquares = 0;
        long count = 0;
        var buffer = Array.Empty<float>();
        const int chunk = 4096;
        foreach (var track in tracks)
        {
            for (var start = 0; start < track.Frames; start += chunk)
            {
                var frames = Math.Min(chunk, track.Frames - start);
                if (buffer.Length < frames * track.Bands) buffer = new float[chunk * track.Bands];
                var values = buffer.AsSpan(0, frames * track.Bands);
                track.ReadWindow(start, frames, values);
                foreach (var v in values) { sum += v; sumSquares += (double)v * v; }
                count += values.Length;
            }
        }
        if (count == 0) throw new InvalidOperationException("no frames to compute the normalisation from");
        var mean = sum / count;
        var std = Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
        return new NormalisationConfig(mean, std > 1e-8 ? std : 1.0);
    }
}
