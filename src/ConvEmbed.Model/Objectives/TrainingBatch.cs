using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// What one step sees. Single-pass objectives use <see cref="Windows"/> (B, 64, W); DINO uses
/// <see cref="Globals"/> (2B, 64, W, view-major) and <see cref="Locals"/> (4B, 64, W/4). With
/// <see cref="WindowsPerTrack"/> V &gt; 1, windows b·V … b·V+V−1 come from one track. <see cref="Tracks"/>: which
/// track of the library each window comes from (−1 or null: unknown), for a queue that must not hold a window's own
/// track among its negatives.
/// </summary>
public sealed record TrainingBatch(int BatchSize, Tensor? Windows = null, Tensor? Globals = null, Tensor? Locals = null, int WindowsPerTrack = 1,
    int[]? Tracks = null)
{
    public Tensor RequireWindows() => Windows ?? throw new InvalidOperationException("this objective needs single windows");

    /// <summary>The track of each global view (every <see cref="WindowsPerTrack"/>-th window's), or null when unknown.</summary>
    public int[]? GlobalTracks => Tracks is null ? null : Enumerable.Range(0, Tracks.Length / WindowsPerTrack).Select(i => Tracks[i * WindowsPerTrack]).ToArray();
}
