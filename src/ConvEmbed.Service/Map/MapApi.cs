using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using System.Security.Cryptography;
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
            .WithDescription("The layout is t-SNE (perplexity 30, PCA start, Barnes-Hut) of the active model's vectors, computed in the background " +
                             "when a model becomes active and cached per model; tracks uploaded later are placed at once next to their " +
                             "most similar tracks, and the next layout (at most every ConvEmbed:Map:RefreshSeconds) starts from the current " +
                             "positions once the map has a few hundred tracks, so regions stay where they were. state: ready (the last " +
                             "layout holds every track), computing, pending (tracks were added or removed since the last layout, or wait " +
                             "for a place) or empty. " +
                             "The page at /map draws it. Compressed (br, gzip) when the client accepts it; an ETag lets a client " +
                             "that already has this map ask again with If-None-Match and get 304 without the points.")
            .Produces<MapResponse>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified);
        return app;
    }

    private static async Task<IResult> PointsAsync(HttpContext context, MapStore map, ModelStore models, CancellationToken ct)
    {
        var response = await MapResponseAsync(map, models, ct);
        // The ETag is the hash of the answer itself: any change (a layout, a track added, a title edited) changes it.
        var body = JsonSerializer.SerializeToUtf8Bytes(response, context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"", isWeak: true);
        context.Response.GetTypedHeaders().ETag = etag;
        context.Response.Headers.CacheControl = "no-cache"; // keep it, but ask each time
        var known = context.Request.GetTypedHeaders().IfNoneMatch;
        if (known.Any(k => k.Tag == etag.Tag || k == EntityTagHeaderValue.Any)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(body, "application/json; charset=utf-8");
    }

    private static async Task<MapResponse> MapResponseAsync(MapStore map, ModelStore models, CancellationToken ct)
    {
        var (id, name) = await models.GetActiveAsync(ct) is { } active ? (active.Id, active.Name)
                         : throw new InvalidOperationException("No model is active: the service registers the bootstrap model at start-up; is the database initialised?");
        var coverage = await map.GetCoverageAsync(id, ct);
        var points = await map.GetPointsAsync(id, ct);
        var state = coverage.Tracks == 0 ? "empty"
            : coverage.State == "computing" ? "computing"
            : coverage.Placed < coverage.Tracks || coverage.LaidOut != coverage.Tracks ? "pending"
            : "ready";
        return new MapResponse(id, name, state, coverage.ComputedAt, coverage.Seconds, coverage.Tracks, coverage.Placed, points);
    }
}
