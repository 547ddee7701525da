using ConvEmbed.Audio.Cache;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Tracks;

/// <summary><c>/tracks</c>: upload, list, read, play and delete tracks.</summary>
public static class TracksApi
{
    public const string UploadPolicy = "uploads";

    public static RouteGroupBuilder MapTracks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tracks").WithTags("Tracks").RequireStorage();
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes;

        group.MapPost("/", UploadAsync)
            .WithName("UploadTrack")
            .WithSummary("Upload a track and get its embedding.")
            .WithDescription("multipart/form-data with the audio in `file` and optional `title`, `artist`, `album`, `tags` (comma-separated). " +
                             "The file is decoded, embedded with the active model and stored. 201 for a new track; 200 with the stored track when the same bytes were uploaded before. " +
                             "422 when the file is not audio ConvEmbed can read (or is shorter than the minimum), 413 over the size limit, 429 when this client has too many uploads running.")
            .Accepts<UploadForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + 1024 * 1024))
            .RequireRateLimiting(UploadPolicy);

        group.MapGet("/", ListAsync)
            .WithName("ListTracks")
            .WithSummary("List tracks, paged and filtered.")
            .WithDescription("Oldest first. `page` from 1, `pageSize` 1..100 (default 20); filters: `artist` (exact, case-insensitive), `tag` (exact), `q` (part of the title).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", GetAsync)
            .WithName("GetTrack")
            .WithSummary("One track's metadata.")
            .WithDescription("404 for an unknown id, 400 for an id that is not a UUID.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/embedding", GetEmbeddingAsync)
            .WithName("GetTrackEmbedding")
            .WithSummary("A track's vector in the active model.")
            .WithDescription("The ℓ2-normalised embedding that similarity search uses, with the id of the model that computed it.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/audio", GetAudioAsync)
            .WithName("GetTrackAudio")
            .WithSummary("The original bytes of a track.")
            .WithDescription("Served with the file's media type; HTTP range requests work, so a browser can seek.")
            .Produces(StatusCodes.Status200OK, contentType: "audio/mpeg")
            .Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteTrack")
            .WithSummary("Delete a track.")
            .WithDescription("Removes the row, its vectors in every model, its original bytes and its cached features. 204, or 404 for an unknown id. " +
                             "A library track's file stays where it is (ConvEmbed never writes to the folders) and is left out of " +
                             "the index until it changes, or until POST /admin/library/scan?retry=true.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<UploadedTrack>, Ok<UploadedTrack>>> UploadAsync(HttpRequest request, UploadPipeline pipeline, CancellationToken ct)
    {
        var (track, created) = await pipeline.UploadAsync(request, ct);
        return created ? TypedResults.Created($"/tracks/{track.Id}", track) : TypedResults.Ok(track);
    }

    private static async Task<Ok<TrackPage>> ListAsync(TrackStore store, CancellationToken ct,
        int page = 1, int pageSize = 20, string? artist = null, string? tag = null, string? q = null)
    {
        if (page < 1) throw new ApiProblemException(StatusCodes.Status400BadRequest, "page must be 1 or more", $"page was {page}.");
        if (pageSize is < 1 or > 100) throw new ApiProblemException(StatusCodes.Status400BadRequest, "pageSize must be between 1 and 100", $"pageSize was {pageSize}.");
        return TypedResults.Ok(await store.ListAsync(new TrackQuery(page, pageSize, artist, tag, q), ct));
    }

    private static async Task<Ok<Track>> GetAsync(string id, TrackStore store, CancellationToken ct)
    {
        var guid = TrackIds.Parse(id);
        return TypedResults.Ok(await store.GetAsync(guid, ct) ?? throw TrackIds.NotFound(guid));
    }

    private static async Task<Ok<TrackEmbeddingResponse>> GetEmbeddingAsync(string id, TrackStore store, ModelRegistry models, CancellationToken ct)
    {
        var guid = TrackIds.Parse(id);
        var model = await models.GetActiveAsync(ct);
        var embedding = await store.GetEmbeddingAsync(guid, model.Id, ct)
                        ?? throw (await store.GetAsync(guid, ct) is null
                            ? TrackIds.NotFound(guid)
                            : new ApiProblemException(StatusCodes.Status409Conflict, "The track has no vector in the active model yet",
                                $"Model {model.Id} is active; the track is being embedded with it."));
        return TypedResults.Ok(new TrackEmbeddingResponse(guid, model.Id, embedding.Length, embedding));
    }

    private static async Task<PhysicalFileHttpResult> GetAudioAsync(string id, TrackStore store, BlobStore blobs, CancellationToken ct)
    {
        var guid = TrackIds.Parse(id);
        var track = await store.GetAsync(guid, ct) ?? throw TrackIds.NotFound(guid);
        if (track.Path is { } libraryFile)
            return File.Exists(libraryFile)
                ? TypedResults.PhysicalFile(libraryFile, track.ContentType, enableRangeProcessing: true)
                : throw new ApiProblemException(StatusCodes.Status404NotFound, "The track's file is gone from the library folder",
                    $"{libraryFile} no longer exists; the next library scan removes the track.");
        var path = blobs.PathFor(track.Sha256);
        if (!File.Exists(path))
            throw new ApiProblemException(StatusCodes.Status500InternalServerError, "The track's audio is missing from the blob store", $"Expected {path}.");
        return TypedResults.PhysicalFile(path, track.ContentType, enableRangeProcessing: true);
    }

    private static async Task<NoContent> DeleteAsync(string id, TrackStore store, BlobStore blobs, FeatureCache cache,
        IEnumerable<ITrackDeletionObserver> observers, CancellationToken ct)
    {
        var guid = TrackIds.Parse(id);
        foreach (var observer in observers) await observer.DeletingAsync(guid, ct);
        var deleted = await store.DeleteAsync(guid, sha256 =>
        {
            blobs.Delete(sha256);
            try { File.Delete(cache.PathFor(sha256)); } catch (IOException) { }
        }, ct);
        return deleted ? TypedResults.NoContent() : throw TrackIds.NotFound(guid);
    }
}
