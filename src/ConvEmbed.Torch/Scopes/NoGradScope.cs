using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>Disables autograd recording on this thread until disposed (torch.no_grad()); restores the previous mode.</summary>
public sealed class NoGradScope : IDisposable
{
    private readonly bool previous;
    private bool disposed;

    public NoGradScope()
    {
        previous = NativeMethods.ce_grad_enabled() == 1;
        NativeMethods.ce_set_grad_enabled(0);
    }

    public static bool GradEnabled => NativeMethods.ce_grad_enabled() == 1;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        NativeMethods.ce_set_grad_enabled(previous ? 1 : 0);
    }
}
