using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;
using ConvEmbed.Audio.Features;

namespace ConvEmbed.Audio.Cache;

/// <summary>
/// A cached log-mel opened through a read-only memory mapping: drawing a window touches only its pages, so a
/// trainer can sample from thousands of tracks without loading any whole. Thread-safe for reads; dispose to unmap.
/// </summary>
public sealed unsafe class CachedLogMel : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    internal CachedLogMel(string path)
    {
        // FileShare.Delete: a concurrent writer may atomically replace the file; this mapping keeps the old inode.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        long length = file.Length;
        Span<byte> head = stackalloc byte[MelFileHeader.Size];
        if (file.Read(head) < head.Length) throw new InvalidDataException("Log-mel cache file is shorter than its header.");
        var header = MelFileHeader.Read(head, length);
        Bands = header.Bands;
        Frames = header.Frames;
        Path = path;
        _map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    public string Path { get; }
    public int Bands { get; }
    public int Frames { get; }

    private ReadOnlySpan<Half> Data(int startFrame, int frames) =>
        new((Half*)(_base + MelFileHeader.Size) + (long)startFrame * Bands, frames * Bands);

    /// <summary>
    /// Copies frames [<paramref name="startFrame"/>, +<paramref name="frames"/>) into <paramref name="destination"/>
    /// as (bands, frames), the layout of a model input row.
    /// </summary>
    public void ReadWindow(int startFrame, int frames, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (startFrame < 0 || frames < 0 || startFrame + frames > Frames) throw new ArgumentOutOfRangeException(nameof(startFrame), $"Window [{startFrame}, {startFrame + frames}) outside 0..{Frames}.");
        if (destination.Length < Bands * frames) throw new ArgumentException("Destination too small.", nameof(destination));
        var source = Data(startFrame, frames);
        const int chunkFrames = 64;
        Span<float> scratch = stackalloc float[chunkFrames * Bands > 8192 ? 0 : chunkFrames * Bands];
        if (scratch.IsEmpty) scratch = new float[chunkFrames * Bands];
        for (int t0 = 0; t0 < frames; t0 += chunkFrames)
        {
            int n = Math.Min(chunkFrames, frames - t0);
            var s = scratch[..(n * Bands)];
            TensorPrimitives.ConvertToSingle(source.Slice(t0 * Bands, n * Bands), s); // vectorised float16 → float32
            for (int t = 0; t < n; t++)
                for (int m = 0; m < Bands; m++)
                    destination[m * frames + t0 + t] = s[t * Bands + m];
        }
    }

    /// <summary>The whole track (float16 values widened to float32).</summary>
    public LogMel ReadAll()
    {
        var values = new float[Bands * Frames];
        ReadWindow(0, Frames, values);
        return new LogMel(Bands, Frames, values);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
