using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Training;

/// <summary>
/// Watches for the silent failure of self-supervised training: the mean per-dimension std of the ℓ2-normalised
/// embeddings of a fixed probe batch. Healthy is about 1/√C (0.0625 for C = 256); collapsed tends to 0.
/// </summary>
public sealed class CollapseMonitor(Tensor probe, double collapseFraction = 0.1) : IDisposable
{
    private readonly Tensor probe = probe.DetachFromDisposeScope();

    /// <summary>Below this fraction of the healthy value 1/√C a run counts as collapsed.</summary>
    public double CollapseFraction { get; } = collapseFraction;

    public double Measure(Encoder encoder)
    {
        var wasTraining = encoder.IsTraining;
        encoder.eval();
        try
        {
            using var noGrad = Torch.Torch.no_grad();
            using var scope = Torch.Torch.NewDisposeScope();
            var e = Functional.normalize(encoder.forward(probe).mean(2), dim: 1);
            return e.std(0).mean().item();
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }

    public bool IsCollapsed(double std, int channels) => std < CollapseFraction / Math.Sqrt(channels);

    public void Dispose() => probe.Dispose();
}
