using System.Reflection;
using System.Runtime.InteropServices;
using ConvEmbed.Audio.Errors;

namespace ConvEmbed.Audio.Decoding;

/// <summary>
/// Decodes files on disk with FFmpeg's own libraries inside this process (libconvembed_av.so, built from native/):
/// the same demuxers, decoders and resampler as the ffmpeg command, without starting a program per file. Debian's
/// ffmpeg and ffprobe load over 200 shared libraries each, about 0.2 s of CPU per start before a sample is decoded;
/// for a library of 3-minute tracks that was a third of the indexing time. Bounded like the command path: a wall-clock
/// limit (<see cref="AudioOptions.FfmpegTimeout"/>), the duration limit checked while decoding, cancellation.
/// <see cref="IsAvailable"/> is false where the library was not built; callers then use the ffmpeg command.
/// </summary>
public static partial class InProcessDecoder
{
    private const string Library = "convembed_av";
    private static readonly Lazy<bool> Loaded = new(TryLoad);

    /// <summary>Whether libconvembed_av.so (and the FFmpeg libraries it links) could be loaded.</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary>Mono samples at the front end's rate: every channel resampled by libswresample, then their mean.</summary>
    /// <exception cref="AudioException">The same typed errors as the ffmpeg command path.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static Task<float[]> DecodeFileAsync(string path, AudioOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(path, options, decode: true, cancellationToken, static result =>
        {
            var pointer = Native.ce_av_samples(result, out long count);
            var samples = GC.AllocateUninitializedArray<float>(checked((int)count));
            unsafe { new ReadOnlySpan<float>((void*)pointer, samples.Length).CopyTo(samples); }
            return samples;
        }), cancellationToken);

    /// <summary>What ffprobe would say about the file's container: its name, declared length and tags; no decoding.</summary>
    public static Task<MediaInfo> ProbeAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(path, new AudioOptions { FfmpegTimeout = timeout }, decode: false, cancellationToken, Info),
            cancellationToken);

    private static unsafe T Run<T>(string path, AudioOptions options, bool decode, CancellationToken ct, Func<IntPtr, T> read)
    {
        if (!IsAvailable) throw new InvalidOperationException("libconvembed_av.so is not available; decode with the ffmpeg command instead.");
        string full = Path.GetFullPath(path), name = Path.GetFileName(path);
        var cancel = (int*)NativeMemory.AllocZeroed(sizeof(int));
        try
        {
            IntPtr result;
            using (ct.Register(() => Volatile.Write(ref *cancel, 1)))
            {
                result = Native.ce_av_open("file:" + full, FrontEnd.SampleRate, options.MaxDuration.TotalSeconds,
                    (long)options.FfmpegTimeout.TotalMilliseconds, cancel, decode ? 1 : 0);
            }
            if (result == IntPtr.Zero) throw new OutOfMemoryException($"Decoding {name} ran out of memory.");
            try
            {
                int status = Native.ce_av_status(result);
                if (status != 0) throw Error(status, result, name, full, options, ct);
                return read(result);
            }
            finally
            {
                Native.ce_av_free(result);
            }
        }
        finally
        {
            NativeMemory.Free(cancel);
        }
    }

    // Named by the full path, as the ffmpeg command names its input (the service redacts upload paths).
    private static Exception Error(int status, IntPtr result, string name, string path, AudioOptions options, CancellationToken ct)
    {
        string message = Marshal.PtrToStringUTF8(Native.ce_av_message(result)) ?? "";
        string log = Marshal.PtrToStringUTF8(Native.ce_av_log(result)) ?? "";
        string detail = log.Length > 0 ? $"{message} ({log})" : message;
        return status switch
        {
            1 when !File.Exists(path) => new FileNotFoundException($"{name} vanished before it was decoded.", path),
            1 => new IOException($"ffmpeg's libraries could not read {path}: {detail}."),
            2 => new UnsupportedFormatException($"Not a recognised audio format: ffmpeg's libraries could not open {path}: {detail}."),
            3 => new NoAudioStreamException($"The file contains no audio stream ({name})."),
            4 when Native.ce_av_decode_errors(result) == 0 && message.Contains("no samples", StringComparison.Ordinal) =>
                new CorruptAudioException($"ffmpeg produced no audio from {name}: {detail}."),
            4 => new CorruptAudioException($"The audio could not be decoded: ffmpeg's libraries read {path} and failed: {detail}."),
            5 => new AudioTooLongException(options.MaxDuration),
            6 => new DecodeTimeoutException($"ffmpeg's libraries did not finish {name} within {options.FfmpegTimeout.TotalSeconds:0.#} s."),
            7 => new OperationCanceledException(ct),
            _ => new OutOfMemoryException($"Decoding {name} ran out of memory."),
        };
    }

    private static MediaInfo Info(IntPtr result)
    {
        static string? Text(IntPtr p) => Marshal.PtrToStringUTF8(p) is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        double declared = Native.ce_av_declared_seconds(result);
        return new MediaInfo(Text(Native.ce_av_format(result)) ?? "", declared > 0 ? declared : null,
            Text(Native.ce_av_tag(result, 0)), Text(Native.ce_av_tag(result, 1)), Text(Native.ce_av_tag(result, 2)));
    }

    private static bool TryLoad()
    {
        NativeLibrary.SetDllImportResolver(typeof(InProcessDecoder).Assembly, Resolve);
        try
        {
            return Native.ce_av_version() > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    // Next to this assembly (the build copies it there), wherever the host process was started from.
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        var file = Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, "libconvembed_av.so");
        if (File.Exists(file) && NativeLibrary.TryLoad(file, out var handle)) return handle;
        return NativeLibrary.TryLoad(name, assembly, searchPath, out handle) ? handle : IntPtr.Zero;
    }

    private static unsafe partial class Native
    {
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr ce_av_open(string path, int rate, double maxSeconds, long timeoutMs, int* cancel, int decode);
        [LibraryImport(Library)] internal static partial int ce_av_status(IntPtr result);
        [LibraryImport(Library)] internal static partial IntPtr ce_av_message(IntPtr result);
        [LibraryImport(Library)] internal static partial IntPtr ce_av_log(IntPtr result);
        [LibraryImport(Library)] internal static partial IntPtr ce_av_format(IntPtr result);
        [LibraryImport(Library)] internal static partial double ce_av_declared_seconds(IntPtr result);
        [LibraryImport(Library)] internal static partial long ce_av_decode_errors(IntPtr result);
        [LibraryImport(Library)] internal static partial IntPtr ce_av_tag(IntPtr result, int which);
        [LibraryImport(Library)] internal static partial IntPtr ce_av_samples(IntPtr result, out long count);
        [LibraryImport(Library)] internal static partial void ce_av_free(IntPtr result);
        [LibraryImport(Library)] internal static partial uint ce_av_version();
    }
}

/// <summary>What a container says about itself: FFmpeg's name for the format (a comma-separated list of aliases, as
/// ffprobe prints it), its declared length when it states one, and its title, artist and album tags.</summary>
public sealed record MediaInfo(string FormatName, double? DeclaredSeconds, string? Title, string? Artist, string? Album);
