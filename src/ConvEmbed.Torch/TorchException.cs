using System.Runtime.InteropServices;
using ConvEmbed.Torch.Native;

namespace ConvEmbed.Torch;

/// <summary>A libtorch error, carrying libtorch's own message (caught at the shim's extern "C" boundary).</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    /// <summary>Builds the exception from the calling thread's last native error.</summary>
    internal static TorchException FromNative()
    {
        var text = Marshal.PtrToStringUTF8(NativeMethods.ce_last_error());
        return new TorchException(string.IsNullOrEmpty(text) ? "libtorch call failed without a message" : text);
    }

    internal static void Check(int status)
    {
        if (status < 0) throw FromNative();
    }
}
