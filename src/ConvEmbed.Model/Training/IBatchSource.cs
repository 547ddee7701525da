namespace ConvEmbed.Model.Training;

/// <summary>
/// Where training windows come from: normalised log-mel, row-major. The trainer passes the random generator,
/// re-seeded every step, so a resumed run draws exactly the windows an uninterrupted one would.
/// </summary>
public interface IBatchSource
{
    /// <summary>Mel bands per frame (64).</summary>
    int Bands { get; }

    /// <summary>Fills (batch, bands, frames) with random windows, <paramref name="windowsPerTrack"/> consecutive ones from
    /// each drawn track (1: every window from its own draw), and <paramref name="tracks"/>, when it is given (batch
    /// long), with the index of the track each window comes from (−1 where the source does not know).</summary>
    void SampleWindows(Span<float> destination, int batch, int frames, Random random, int windowsPerTrack = 1, Span<int> tracks = default);

    /// <summary>DINO's views: per track a segment of 2·frames, from it 2 global crops of <paramref name="frames"/>
    /// into (2, batch, bands, frames) and <paramref name="localCrops"/> local crops of frames/4 into (localCrops, batch, bands, frames/4).</summary>
    void SampleMultiCrop(Span<float> globals, Span<float> locals, int batch, int frames, int localCrops, Random random);

    /// <summary>A fixed batch for the collapse monitor: the first window of the first tracks, (batch, bands, frames).</summary>
    void ProbeWindows(Span<float> destination, int batch, int frames);
}
