using System.Buffers.Binary;

namespace ConvEmbed.Audio.Cache;

/// <summary>
/// The 16-byte header of a cached log-mel file: magic "CEML", u16 version, u16 bands, i32 frames, u32 front-end
/// fingerprint (<see cref="FrontEnd.Fingerprint"/>: the settings that made the features);
/// then bands × frames float16 values, frame-major (one frame's bands are contiguous, so a W-frame window is one
/// contiguous read).
/// </summary>
public readonly record struct MelFileHeader(int Bands, int Frames, uint FrontEndFingerprint)
{
    public const int Size = 16;
    public const ushort CurrentVersion = 2;
    private static ReadOnlySpan<byte> Magic => "CEML"u8;

    public long FileLength => Size + 2L * Bands * Frames;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], checked((ushort)Bands));
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Frames);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], FrontEndFingerprint);
    }

    /// <summary>
    /// Parses and checks a header against the file's length and this build's front-end; throws
    /// <see cref="StaleCacheEntryException"/> for features of another version or front-end (to be recomputed) and
    /// <see cref="InvalidDataException"/> for a damaged file.
    /// </summary>
    public static MelFileHeader Read(ReadOnlySpan<byte> source, long fileLength)
    {
        if (source.Length < Size || !source[..4].SequenceEqual(Magic)) throw new InvalidDataException("Not a ConvEmbed log-mel cache file.");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != CurrentVersion) throw new StaleCacheEntryException($"Log-mel cache version {version}, expected {CurrentVersion}.");
        var header = new MelFileHeader(BinaryPrimitives.ReadUInt16LittleEndian(source[6..]), BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));
        if (header.FrontEndFingerprint != FrontEnd.Fingerprint)
            throw new StaleCacheEntryException($"Log-mel cache entry made by another front-end (fingerprint {header.FrontEndFingerprint:x8}, this build {FrontEnd.Fingerprint:x8}).");
        if (header.Bands <= 0 || header.Frames < 0 || header.FileLength != fileLength)
            throw new InvalidDataException($"Log-mel cache file is {fileLength} bytes; its header ({header.Bands}×{header.Frames}) says {header.FileLength}.");
        return header;
    }
}

/// <summary>A cache entry that is whole but was made by another cache version or front-end: recompute it.</summary>
public sealed class StaleCacheEntryException(string message) : IOException(message);
