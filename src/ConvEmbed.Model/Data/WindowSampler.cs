using ConvEmbed.Audio.Cache;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Model.Data;

/// <summary>
/// Draws normalised training windows from memory-mapped log-mels (docs/method.md#training): a track shorter
/// than the window is tiled (repeated end to end) first; the offset is uniform over every full window.
/// Thread-compatible, not thread-safe (one scratch buffer).
/// </summary>
public sealed class WindowSampler : IBatchSource
{
    private readonly IReadOnlyList<CachedLogMel> tracks;
    private readonly float mean, scale;
    private float[] segment = [];

    public WindowSampler(IReadOnlyList<CachedLogMel> tracks, NormalisationConfig normalisation)
    {
        if (tracks.Count == 0) throw new ArgumentException("no tracks to sample windows from", nameof(tracks));
        Bands = tracks[0].Bands;
        if (tracks.Any(t => t.Bands != Bands)) throw new ArgumentException("tracks differ in their number of mel bands", nameof(tracks));
        this.tracks = tracks;
        (mean, scale) = ((float)normalisation.Mean, (float)(1 / normalisation.Std));
    }

    public int Bands { get; }
    public int Tracks => tracks.Count;

    /// <summary>A research setting (`bench objectives --distinct-tracks`): the tracks of one batch are drawn without
    /// replacement (when there are enough), so no window meets another window of its own track as a negative. Off,
    /// each draw is independent: 32 draws from 166 tracks repeat a track about 3 times per batch.</summary>
    public bool DistinctTracks { get; init; }

    public void SampleWindows(Span<float> destination, int batch, int frames, Random random, int windowsPerTrack = 1, Span<int> tracks = default)
    {
        if (!tracks.IsEmpty && tracks.Length != batch) throw new ArgumentException($"{tracks.Length} track slots for {batch} windows", nameof(tracks));
        CheckSize(destination, batch * Bands * frames);
        if (windowsPerTrack < 1 || batch % windowsPerTrack != 0)
            throw new ArgumentException($"{batch} windows cannot be split into groups of {windowsPerTrack} per track", nameof(windowsPerTrack));
        var (track, pick) = (this.tracks[0], 0);
        var drawn = DistinctTracks && this.tracks.Count >= batch / windowsPerTrack ? new HashSet<int>() : null;
        for (var b = 0; b < batch; b++)
        {
            if (b % windowsPerTrack == 0)
            {
                pick = random.Next(this.tracks.Count);
                while (drawn is not null && !drawn.Add(pick)) pick = random.Next(this.tracks.Count);
                track = this.tracks[pick];
            }
            if (!tracks.IsEmpty) tracks[b] = pick;
            Crop(track, frames, random, destination.Slice(b * Bands * frames, Bands * frames));
        }
    }

    public void SampleMultiCrop(Span<float> globals, Span<float> locals, int batch, int frames, int localCrops, Random random)
    {
        int segFrames = 2 * frames, localFrames = frames / 4;
        CheckSize(globals, 2 * batch * Bands * frames);
        CheckSize(locals, localCrops * batch * Bands * localFrames);
        if (segment.Length < Bands * segFrames) segment = new float[Bands * segFrames];
        var seg = segment.AsSpan(0, Bands * segFrames);
        for (var b = 0; b < batch; b++)
        {
            Crop(tracks[random.Next(tracks.Count)], segFrames, random, seg);
            for (var v = 0; v < 2; v++)
                SubCrop(seg, segFrames, frames, random.Next(segFrames - frames + 1), globals.Slice((v * batch + b) * Bands * frames, Bands * frames));
            for (var v = 0; v < localCrops; v++)
                SubCrop(seg, segFrames, localFrames, random.Next(segFrames - localFrames + 1), locals.Slice((v * batch + b) * Bands * localFrames, Bands * localFrames));
        }
    }

    public void ProbeWindows(Span<float> destination, int batch, int frames)
    {
        CheckSize(destination, batch * Bands * frames);
        for (var b = 0; b < batch; b++)
            ReadTiled(tracks[b % tracks.Count], 0, frames, destination.Slice(b * Bands * frames, Bands * frames));
    }

    /// <summary>A random window of <paramref name="frames"/> from the track tiled to at least that length.</summary>
    private void Crop(CachedLogMel track, int frames, Random random, Span<float> destination)
    {
        var tiled = track.Frames >= frames ? track.Frames : track.Frames * (frames / track.Frames + 1);
        ReadTiled(track, random.Next(tiled - frames + 1), frames, destination);
    }

    /// <summary>Reads frames [start, start+frames) of the track repeated end to end, normalised, as (bands, frames).</summary>
    private void ReadTiled(CachedLogMel track, int start, int frames, Span<float> destination)
    {
        if (track.Frames >= start + frames)
            track.ReadWindow(start, frames, destination);
        else
        {
            // Piecewise: read each stretch into a scratch (bands, n) then scatter into the (bands, frames) rows.
            var scratch = new float[Bands * Math.Min(frames, track.Frames)];
            var done = 0;
            while (done < frames)
            {
                var at = (start + done) % track.Frames;
                var n = Math.Min(frames - done, track.Frames - at);
                track.ReadWindow(at, n, scratch);
                for (var band = 0; band < Bands; band++)
                    scratch.AsSpan(band * n, n).CopyTo(destination.Slice(band * frames + done, n));
                done += n;
            }
        }
        foreach (ref var v in destination) v = (v - mean) * scale;
    }

    private void SubCrop(ReadOnlySpan<float> seg, int segFrames, int frames, int start, Span<float> destination)
    {
        for (var band = 0; band < Bands; band++)
            seg.Slice(band * segFrames + start, frames).CopyTo(destination.Slice(band * frames, frames));
    }

    private static void CheckSize(Span<float> span, int needed)
    {
        if (span.Length != needed) throw new ArgumentException($"buffer holds {span.Length} values, {needed} needed");
    }
}
