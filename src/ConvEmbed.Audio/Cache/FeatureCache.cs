using System.Numerics.Tensors;
using ConvEmbed.Audio.Features;

namespace ConvEmbed.Audio.Cache;

/// <summary>
/// Log-mel features of tracks as float16 files named by content hash (<c>{sha256}.mel</c>) in one folder.
/// Writes are atomic: each writer fills its own temporary file in the same folder and renames it over the target,
/// so readers see either no file or a whole one, and concurrent writers of one key simply replace each other.
/// </summary>
public sealed class FeatureCache
{
    private const string Extension = ".mel";

    public FeatureCache(string directory)
    {
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathFor(string key)
    {
        if (!ContentHash.IsValid(key)) throw new ArgumentException("A cache key is a lowercase hex SHA-256.", nameof(key));
        return System.IO.Path.Combine(Directory, key + Extension);
    }

    /// <summary>Whether a usable entry exists: present, and made by this front-end (a stale one counts as absent).</summary>
    public bool Contains(string key)
    {
        var path = PathFor(key);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            Span<byte> head = stackalloc byte[MelFileHeader.Size];
            file.ReadExactly(head);
            MelFileHeader.Read(head, file.Length);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or StaleCacheEntryException or EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>Stores <paramref name="mel"/> under <paramref name="key"/>, replacing any previous entry atomically.</summary>
    public async Task WriteAsync(string key, LogMel mel, CancellationToken cancellationToken = default)
    {
        string target = PathFor(key);
        string temp = System.IO.Path.Combine(Directory, $".{key}.{Guid.NewGuid():N}.tmp");
        try
        {
            var header = new MelFileHeader(mel.Bands, mel.Frames, FrontEnd.Fingerprint);
            var bytes = new byte[header.FileLength];
            header.Write(bytes);
            var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes.AsSpan(MelFileHeader.Size));
            var frame = new float[mel.Bands];
            for (int t = 0; t < mel.Frames; t++)
            {
                for (int m = 0; m < mel.Bands; m++) frame[m] = mel.Values[m * mel.Frames + t];
                TensorPrimitives.ConvertToHalf(frame, halves.Slice(t * mel.Bands, mel.Bands));
            }
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(bytes, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true); // the rename must never publish a file whose data is not on disk
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Opens an entry for windowed reads; <see cref="FileNotFoundException"/> if absent, <see cref="InvalidDataException"/> if damaged.</summary>
    public CachedLogMel Open(string key) => new(PathFor(key));

    public bool TryOpen(string key, out CachedLogMel? entry)
    {
        try
        {
            entry = Open(key);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or StaleCacheEntryException)
        {
            entry = null; // absent, or made by another front-end: the caller computes and replaces it
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
