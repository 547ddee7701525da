namespace ConvEmbed.Service.Tracks;

/// <summary>
/// Told, before it happens, that a user deletes a track through <c>DELETE /tracks/{id}</c> (not when the service
/// removes one itself). The library implements it: the track's files are kept out of the index, so the next scan does
/// not bring the track back. Lets Tracks tell the library without depending on it.
/// </summary>
public interface ITrackDeletionObserver
{
    Task DeletingAsync(Guid track, CancellationToken ct);
}
