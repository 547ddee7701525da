using ConvEmbed.Torch;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// What one step sees. Single-pass objectives use <see cref="Windows"/> (B, 64, W); DINO uses
/// <see cref="Globals"/> (2B, 64, W, view-major) and <see cref="Locals"/> (4B, 64, W/4).
/// </summary>
public sealed record TrainingBatch(int BatchSize, Tensor? Windows = null, Tensor? Globals = null, Tensor? Locals = null)
{
    public Tensor RequireWindows() => Windows ?? throw new InvalidOperationException("this objective needs single windows");
}
