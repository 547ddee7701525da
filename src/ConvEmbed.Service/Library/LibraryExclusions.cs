using ConvEmbed.Service.Tracks;

namespace ConvEmbed.Service.Library;

/// <summary>A library track deleted through the API stays deleted: its files are marked excluded, so a rescan of the
/// unchanged files does not index them again.</summary>
public sealed class LibraryExclusions(LibraryStore store, ILogger<LibraryExclusions> logger) : ITrackDeletionObserver
{
    public async Task DeletingAsync(Guid track, CancellationToken ct)
    {
        var files = await store.ExcludeAsync(track, ct);
        if (files > 0) logger.LogInformation("Library: {Files} file(s) of deleted track {Track} are left out of the index until they change", files, track);
    }
}
