using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// What one step sees. Single-pass objectives use <see cref="Windows"/> (B, 64, W); DINO uses
/// <see cref="Globals"/> (2B, 64, W, view-major) and <see cref="Locals"/> (4B, 64, W/4). With
/// <see cref="WindowsPerTrack"/> V &gt; 1, windows b·V … b·V+V−1 come from one track.
/// </summary>
public sealed record TrainingBatch(int BatchSize, Tensor? Windows = null, Tensor? Globals = null, Tensor? Locals = null, int WindowsPerTrack = 1)
{
    public Tensor RequireWindows() => Windows ?? throw new InvalidOperationException("this objective needs single windows");
}
