using ConvEmbed.Model.Playlists;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Tracks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvEmbed.Service.Playlists;

/// <summary><c>POST /radio</c> and <c>GET /tracks/{from}/path/{to}</c>: playlists as JSON, or as M3U8 a player opens.</summary>
public static class PlaylistsApi
{
    public static IEndpointRouteBuilder MapPlaylists(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Playlists").RequireStorage();
        group.MapPost("/radio", RadioAsync)
            .WithName("Radio")
            .WithSummary("A playlist of tracks that sound like the seeds.")
            .WithDescription("seeds (track ids or library paths), count 1–500 (30), maxPerArtist, maxPerAlbum, exclude (ids), diversity 0–1 (0.3: " +
                             "maximal marginal relevance between close to the seeds and unlike the tracks already picked), duplicateSimilarity (0.995). " +
                             "Seeds, excluded tracks and near duplicates (same title and artist, or nearly the same vector) are never played. " +
                             "JSON by default; an M3U8 playlist with ?format=m3u8 or Accept: audio/x-mpegurl (library tracks by their path, uploads by URL).")
            .Produces<string>(StatusCodes.Status200OK, M3u8Playlist.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/tracks/{from}/path/{to}", PathAsync)
            .WithName("SonicPath")
            .WithSummary("A playlist that moves from one track to another in small steps.")
            .WithDescription("count 2–500 tracks (10), both ends included, none repeated: each step is the unused track nearest to evenly spaced " +
                             "points between the two tracks' vectors. JSON, or M3U8 as for /radio.")
            .Produces<string>(StatusCodes.Status200OK, M3u8Playlist.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<Playlist>, ContentHttpResult>> RadioAsync(RadioRequest? body, HttpRequest request, PlaylistMaker maker,
        CancellationToken ct, string? format = null)
    {
        var (rules, errors) = (body ?? new RadioRequest(null)).Validate();
        if (rules is null) throw new ApiProblemException(StatusCodes.Status400BadRequest, "The radio request is not valid", string.Join(" ", errors));
        return Answer(await maker.RadioAsync(body!.Seeds!, rules, ct), request, format);
    }

    private static async Task<Results<Ok<Playlist>, ContentHttpResult>> PathAsync(string from, string to, HttpRequest request, PlaylistMaker maker,
        CancellationToken ct, int count = 10, string? format = null)
    {
        if (count is < 2 or > RadioRequest.MaxCount)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"count must be between 2 and {RadioRequest.MaxCount}", $"count was {count}.");
        return Answer(await maker.PathAsync(TrackIds.Parse(from), TrackIds.Parse(to), count, ct), request, format);
    }

    /// <summary>JSON, or M3U8 when asked for (<c>?format=m3u8</c>, or an Accept header naming an M3U type): library tracks
    /// by their path, uploads by their absolute audio URL as the client reached the service.</summary>
    private static Results<Ok<Playlist>, ContentHttpResult> Answer(Playlist playlist, HttpRequest request, string? format)
    {
        var m3u8 = string.Equals(format, "m3u8", StringComparison.OrdinalIgnoreCase)
                   || request.Headers.Accept.Any(a => a is not null && a.Contains("mpegurl", StringComparison.OrdinalIgnoreCase));
        if (!m3u8) return TypedResults.Ok(playlist);
        var service = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var entries = playlist.Items.Select(i => new M3u8Playlist.Entry(i.DurationSeconds, i.Artist, i.Title, i.Path ?? service + i.AudioUrl));
        return TypedResults.Text(M3u8Playlist.Write(entries), M3u8Playlist.MediaType, System.Text.Encoding.UTF8);
    }
}
