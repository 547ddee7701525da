using ConvEmbed.Audio.Cache;

namespace ConvEmbed.Model.Data;

/// <summary>
/// One readable track of an <see cref="AudioLibrary"/>: where it is, its label (first folder level under the
/// library's root, empty for files directly in it), its content hash, and its cached log-mel.
/// </summary>
public sealed record LibraryTrack(string Path, string RelativePath, string Label, string Key, CachedLogMel Features)
{
    public int Frames => Features.Frames;
}
