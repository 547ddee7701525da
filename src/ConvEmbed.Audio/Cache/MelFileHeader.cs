using System.Buffers.Binary;

namespace ConvEmbed.Audio.Cache;

/// <summary>
/// The 16-byte header of a cached log-mel file: magic "CEML", u16 version, u16 bands, i32 frames, 4 reserved bytes;
/// then bands × frames float16 values, frame-major (one frame's bands are contiguous, so a W-frame window is one
/// contiguous read).
/// </summary>
public readonly record struct MelFileHeader(int Bands, int Frames)
{
    public const int Size = 16;
    public const ushort CurrentVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CEML"u8;

    public long FileLength => Size + 2L * Bands * Frames;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], checked((ushort)Bands));
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Frames);
    }

    /// <summary>Parses and checks a header against the file's length; throws <see cref="InvalidDataException"/>.</summary>
    public static MelFileHeader Read(ReadOnlySpan<byte> source, long fileLength)
    {
        if (source.Length < Size || !source[..4].SequenceEqual(Magic)) throw new InvalidDataException("Not a ConvEmbed log-mel cache file.");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != CurrentVersion) throw new InvalidDataException($"Log-mel cache version {version}, expected {CurrentVersion}.");
        var header = new MelFileHeader(BinaryPrimitives.ReadUInt16LittleEndian(source[6..]), BinaryPrimitives.ReadInt32LittleEndian(source[8..]));
        if (header.Bands <= 0 || header.Frames < 0 || header.FileLength != fileLength)
            throw new InvalidDataException($"Log-mel cache file is {fileLength} bytes; its header ({header.Bands}×{header.Frames}) says {header.FileLength}.");
        return header;
    }
}
