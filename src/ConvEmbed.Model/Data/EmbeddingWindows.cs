namespace ConvEmbed.Model.Data;

/// <summary>
/// How a track is cut for embedding (docs/method.md#embedding-a-track): consecutive,
/// non-overlapping windows of W frames; the remainder after the last full window is dropped; a track shorter than
/// W is one window of its own length (the encoder is fully convolutional).
/// </summary>
public static class EmbeddingWindows
{
    public static IReadOnlyList<(int Start, int Frames)> Plan(int trackFrames, int windowFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trackFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowFrames, 1);
        if (trackFrames < windowFrames) return [(0, trackFrames)];
        var n = trackFrames / windowFrames;
        var windows = new (int, int)[n];
        for (var k = 0; k < n; k++) windows[k] = (k * windowFrames, windowFrames);
        return windows;
    }
}
