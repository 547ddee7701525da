using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ConvEmbed.Service.Map;

/// <summary>The library map: the page at <c>/map/</c> (static files under wwwroot/map) and its points.</summary>
public static class MapApi
{
    public static IEndpointRouteBuilder MapLibraryMap(this IEndpointRouteBuilder app)
    {
        // /map and /map/ are one route; the page's <base href="/map/"> makes its relative URLs work from both.
        app.MapGet("/map", (IWebHostEnvironment environment) =>
            {
                var page = environment.WebRootFileProvider.GetFileInfo("map/index.html");
                if (!page.Exists)
                    throw new ApiProblemException(StatusCodes.Status404NotFound, "The map page is not installed",
                        $"No map/index.html under the web root ({environment.WebRootPath ?? "none"}): run the service from its publish or project folder.");
                return Results.File(page.CreateReadStream(), "text/html; charset=utf-8");
            })
            .ExcludeFromDescription();

        app.MapGroup("/map").WithTags("Map").RequireStorage()
            .MapGet("/points", PointsAsync)
            .WithName("MapPoints")
            .WithSummary("Every track as a point of a 2-D map of the active model's vectors.")
            .WithDescription("The layout is t-SNE (perplexity 30, PCA start; Barnes-Hut below ConvEmbed:Map:InterpolationFrom tracks, FFT-interpolated above) of the active model's vectors, computed in the background " +
                             "when a model becomes active and cached per model; tracks uploaded later are placed at once next to their " +
                             "most similar tracks, and the next layout (at most every ConvEmbed:Map:RefreshSeconds) starts from the current " +
                             "positions once the map has a few hundred tracks, so regions stay where they were. state: ready (the last " +
                             "layout holds every track), computing, pending (tracks were added or removed since the last layout, or wait " +
                             "for a place) or empty. " +
                             "The page at /map draws it. Compressed (br, gzip) when the client accepts it; an ETag lets a client " +
                             "that already has this map ask again with If-None-Match and get 304 without the points; the service keeps its last answer " +
                             "until the map changes. ?format=binary answers the same in a compact binary form (application/octet-stream: a JSON " +
                             "header, float32 coordinates, NUL-separated text; layout in MapPointsBinary) that the map page reads.")
            .Produces<MapResponse>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> PointsAsync(HttpContext context, MapStore map, ModelStore models, MapPointsCache cache, CancellationToken ct)
    {
        var (id, name) = await models.GetActiveAsync(ct) is { } active ? (active.Id, active.Name)
                         : throw new InvalidOperationException("No model is active: the service registers the bootstrap model at start-up; is the database initialised?");
        var key = new MapPointsCache.Key(id, name, await map.GetVersionAsync(ct), await map.GetCoverageAsync(id, ct));
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var format = context.Request.Query["format"].ToString();
        if (format is not ("" or "json" or "binary"))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Unknown format", $"format must be json (the default) or binary (was '{format}').");
        var entry = await cache.GetAsync(key, options, async () =>
            new MapResponse(id, name, State(key.Coverage), key.Coverage.ComputedAt, key.Coverage.Seconds, key.Coverage.Tracks, key.Coverage.Placed,
                await map.GetPointsAsync(id, ct)));
        var answer = format == "binary" ? entry.Binary : entry.Json;
        // The ETag is the hash of the answer itself: any change (a layout, a track added, a title edited) changes it.
        context.Response.GetTypedHeaders().ETag = answer.ETag;
        context.Response.Headers.CacheControl = "no-cache"; // keep it, but ask each time
        context.Response.Headers.Vary = "Accept-Encoding";
        var known = context.Request.GetTypedHeaders().IfNoneMatch;
        if (known.Any(k => k.Tag == answer.ETag.Tag || k == EntityTagHeaderValue.Any)) return Results.StatusCode(StatusCodes.Status304NotModified);
        // Compressed once per answer, not per request (the compression middleware leaves an encoded response alone).
        var accepted = context.Request.GetTypedHeaders().AcceptEncoding;
        bool Accepts(string coding) => accepted.Any(a => a.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);
        var (body, encoding) = Accepts("br") ? (answer.Brotli, "br") : Accepts("gzip") ? (answer.Gzip, "gzip") : (answer.Bytes, null);
        if (encoding is not null) context.Response.Headers.ContentEncoding = encoding;
        return Results.Bytes(body, format == "binary" ? MapPointsBinary.ContentType : "application/json; charset=utf-8");
    }

    /// <summary>ready (the last layout holds every track), computing, pending (tracks added or removed since) or empty.</summary>
    private static string State(MapStore.Coverage coverage) =>
        coverage.Tracks == 0 ? "empty"
        : coverage.State == "computing" ? "computing"
        : coverage.Placed < coverage.Tracks || coverage.LaidOut != coverage.Tracks ? "pending"
        : "ready";

}
