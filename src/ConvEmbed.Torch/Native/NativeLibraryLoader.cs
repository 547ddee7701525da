using System.Reflection;
using System.Runtime.InteropServices;

namespace ConvEmbed.Torch.Native;

/// <summary>Finds libconvembed_torch.so next to this assembly, wherever the host process was started from.</summary>
internal static class NativeLibraryLoader
{
    public const string LibraryName = "convembed_torch";
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var dir = Path.GetDirectoryName(assembly.Location);
        var file = Path.Combine(dir ?? AppContext.BaseDirectory, "libconvembed_torch.so");
        if (File.Exists(file)) return NativeLibrary.Load(file);
        return NativeLibrary.TryLoad(name, assembly, searchPath, out var h) ? h : IntPtr.Zero;
    }
}
