using System.Diagnostics;
using System.Globalization;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Observability;
using ConvEmbed.Service.Processing;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Tracks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Search;

/// <summary>Tracks that sound alike: neighbours of a stored track, or of an audio file sent with the request.</summary>
public static class SearchApi
{
    public const int MaxK = 100;

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes;

        app.MapGroup("/tracks").WithTags("Search").RequireStorage()
            .MapGet("/{id}/similar", SimilarAsync)
            .WithName("SimilarTracks")
            .WithSummary("Tracks that sound like this one.")
            .WithDescription("The k (1..100, default 10) nearest tracks by cosine similarity of the active model's vectors, answered by its HNSW index; " +
                             "the track itself is excluded. Optional `artist` (case-insensitive) and `tag` filters are applied inside the index scan, " +
                             "so k rows come back whenever k matching tracks exist.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGroup("/search").WithTags("Search").RequireStorage()
            .MapPost("/", SearchByExampleAsync)
            .WithName("SearchByExample")
            .WithSummary("Tracks that sound like an audio file you send.")
            .WithDescription("multipart/form-data with the audio in `file` and optional `k` (1..100, default 10). The file is decoded and embedded " +
                             "with the active model, and its neighbours returned; nothing is stored (no row, no file, no cache entry).")
            .Accepts<SearchForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + 1024 * 1024))
            .RequireRateLimiting(TracksApi.UploadPolicy);
        return app;
    }

    private static async Task<Ok<SimilarTracks>> SimilarAsync(string id, ModelRegistry models, SimilarityIndex index, ServiceMetrics metrics,
        CancellationToken ct, int k = 10, string? artist = null, string? tag = null)
    {
        var guid = TrackIds.Parse(id);
        CheckK(k);
        var model = await models.GetActiveAsync(ct);
        var started = Stopwatch.GetTimestamp();
        var items = await index.SimilarToTrackAsync(guid, model.Id, model.Dimension, k, new SearchFilter(artist, tag), ct);
        metrics.SimilarSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (items is null) throw TrackIds.NotFound(guid);
        return TypedResults.Ok(new SimilarTracks(model.Id, items));
    }

    private static async Task<Ok<SimilarTracks>> SearchByExampleAsync(HttpRequest request, UploadReader reader, AudioProcessor processor,
        ModelRegistry models, SimilarityIndex index, CancellationToken ct)
    {
        using var upload = await reader.ReadAsync(request, ct);
        var k = 10;
        if (upload.Field("k") is { } text && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out k))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "k must be a whole number between 1 and 100", $"k was '{text}'.");
        if (request.Query.TryGetValue("k", out var fromQuery) && !int.TryParse(fromQuery, NumberStyles.Integer, CultureInfo.InvariantCulture, out k))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "k must be a whole number between 1 and 100", $"k was '{fromQuery}'.");
        CheckK(k);
        var model = await models.GetActiveAsync(ct);
        var (_, vectors) = await processor.DecodeAndEmbedAsync(upload.OpenRead, model.Embedder, null, ct);
        var items = await index.NearestAsync(vectors.Track, model.Id, model.Dimension, k, SearchFilter.None, exact: false, ct);
        return TypedResults.Ok(new SimilarTracks(model.Id, items));
    }

    private static void CheckK(int k)
    {
        if (k is < 1 or > MaxK)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"k must be between 1 and {MaxK}", $"k was {k}.");
    }
}
