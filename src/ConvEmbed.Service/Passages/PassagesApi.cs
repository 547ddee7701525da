using System.Globalization;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Observability;
using ConvEmbed.Service.Processing;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Tracks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Passages;

/// <summary>Search inside tracks (docs/passages.md): where in the library a clip, or a stretch of a stored track, occurs.</summary>
public static class PassagesApi
{
    /// <summary>The largest k and perTrack (as for similar tracks).</summary>
    public const int MaxCount = 100;

    public static IEndpointRouteBuilder MapPassages(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes;

        app.MapGroup("/search").WithTags("Passages").RequireStorage()
            .MapPost("/passages", SearchClipAsync)
            .WithName("SearchPassages")
            .WithSummary("Where in the library a clip you send occurs.")
            .WithDescription("multipart/form-data with the audio in `file` (at least one passage long, e.g. 3 s; at most `ConvEmbed:Passages:MaxClipSeconds`), " +
                             "optional `k` (1..100, default 10) and `perTrack` (1..100, default 1: at most that many stretches of one track). The clip is cut " +
                             "into passages like the library's and matched as a sequence: consecutive clip passages against consecutive passages of a track, " +
                             "scored together, so a 20-s excerpt finds the same 20 s. Each item is a stretch of a track with its start and end in seconds and " +
                             "an `audioUrl` that starts playback there. Nothing is stored. 409 while passages are turned off.")
            .Accepts<PassageSearchForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + 1024 * 1024))
            .RequireRateLimiting(TracksApi.UploadPolicy);

        var tracks = app.MapGroup("/tracks").WithTags("Passages").RequireStorage();
        tracks.MapGet("/{id}/passages", SimilarPassagesAsync)
            .WithName("SimilarPassages")
            .WithSummary("Stretches of other tracks that sound like a part of this one.")
            .WithDescription("`start` and `end` (seconds, 0 ≤ start < end ≤ the track's duration) pick the part; its stored passages are matched as a " +
                             "sequence against the library like a clip. `includeSelf=true` also searches the track itself (repeats, choruses), leaving out " +
                             "stretches that overlap the part. `k` 1..100 (default 10), `perTrack` 1..100 (default 1). 404 for an unknown track, 409 when its " +
                             "passages are not computed yet (they are being added in the background) or passages are turned off.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        tracks.MapGet("/{id}/strip", StripAsync)
            .WithName("PassageStrip")
            .WithSummary("A track's passages in order, for drawing it as a strip.")
            .WithDescription("Every passage of the track in the active model with its start and end, and `change`: 1 − cosine similarity to the " +
                             "passage before (0 for the first) — high where the music changes. The map page draws it under the player.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Ok<PassageMatches>> SearchClipAsync(HttpRequest request, UploadReader reader, AudioProcessor processor, ModelRegistry models,
        PassageSearch search, IOptions<PassageOptions> options, CancellationToken ct)
    {
        var model = await ActiveWithPassagesAsync(models, ct);
        var plan = model.Passages!;
        using var upload = await reader.ReadAsync(request, ct);
        var k = Count(request, upload, "k", 10);
        var perTrack = Count(request, upload, "perTrack", 1);
        ConvEmbed.Audio.Features.LogMel mel;
        Model.Passages.TrackVectors vectors;
        var timings = new ServerTimings();
        try
        {
            using (timings.Measure("decode"))
                (mel, vectors) = await processor.DecodeAndEmbedAsync(upload.OpenRead, model.Embedder, plan, ct);
        }
        catch (AudioTooShortException e)
        {
            throw TooShort(e.Message, plan);
        }
        var seconds = mel.Frames / ConvEmbed.Audio.FrontEnd.FramesPerSecond;
        if (seconds + 1e-6 < plan.LengthSeconds) throw TooShort($"The clip is {seconds:0.###} s long.", plan);
        if (seconds > options.Value.MaxClipSeconds)
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "The clip is too long",
                FormattableString.Invariant($"The clip is {seconds:0.#} s long; passage search takes at most {options.Value.MaxClipSeconds:0.#} s ({PassageOptions.Section}:MaxClipSeconds). Cut the part you are looking for."));
        var query = vectors.Passages.Select(p => p.Vector).ToList();
        var items = await search.FindAsync(model, plan, query, k, perTrack, null, null, request.PathBase, ct, timings);
        timings.WriteTo(request.HttpContext.Response);
        return TypedResults.Ok(new PassageMatches(model.Id, query.Count, items));
    }

    private static async Task<Ok<PassageMatches>> SimilarPassagesAsync(string id, HttpRequest request, ModelRegistry models, TrackStore tracks,
        PassageStore store, PassageSearch search, CancellationToken ct, double? start = null, double? end = null, int k = 10, int perTrack = 1,
        bool includeSelf = false)
    {
        var guid = TrackIds.Parse(id);
        CheckCount("k", k);
        CheckCount("perTrack", perTrack);
        var model = await ActiveWithPassagesAsync(models, ct);
        var plan = model.Passages!;
        var track = await tracks.GetAsync(guid, ct) ?? throw TrackIds.NotFound(guid);
        if (start is null || end is null)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "start and end are required", "Give the part of the track to search for in seconds, e.g. ?start=30&end=40.");
        if (start < 0 || end <= start || end > track.DurationSeconds + 0.01)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "start and end must lie within the track, start before end",
                FormattableString.Invariant($"The track is {track.DurationSeconds:0.###} s long; start was {start}, end {end}."));
        var passages = await StoredPassagesAsync(store, model, guid, ct);

        // The passages inside the part; a part shorter than one passage is the passage that starts nearest to it.
        var inside = passages.Where(p => p.StartSeconds >= start - 1e-3 && p.EndSeconds <= end + 1e-3).ToList();
        if (inside.Count == 0) inside = [passages.MinBy(p => Math.Abs(p.StartSeconds - start.Value))!];
        var query = inside.Select(p => p.Vector).ToList();
        var timings = new ServerTimings();
        var items = await search.FindAsync(model, plan, query, k, perTrack, includeSelf ? null : guid,
            includeSelf ? (guid, inside[0].Index, inside[^1].Index) : null, request.PathBase, ct, timings);
        timings.WriteTo(request.HttpContext.Response);
        return TypedResults.Ok(new PassageMatches(model.Id, query.Count, items));
    }

    private static async Task<Ok<PassageStrip>> StripAsync(string id, ModelRegistry models, TrackStore tracks, PassageStore store, CancellationToken ct)
    {
        var guid = TrackIds.Parse(id);
        var model = await ActiveWithPassagesAsync(models, ct);
        var track = await tracks.GetAsync(guid, ct) ?? throw TrackIds.NotFound(guid);
        var passages = await StoredPassagesAsync(store, model, guid, ct);
        var items = passages.Select((p, i) => new StripPassage(p.Index, Math.Round(p.StartSeconds, 3), Math.Round(p.EndSeconds, 3),
            i == 0 ? 0 : Math.Round(1 - System.Numerics.Tensors.TensorPrimitives.Dot(p.Vector, passages[i - 1].Vector), 4))).ToList();
        return TypedResults.Ok(new PassageStrip(model.Id, guid, track.DurationSeconds, model.Passages!.LengthSeconds, model.Passages.HopSeconds, items));
    }

    private static async Task<ActiveModel> ActiveWithPassagesAsync(ModelRegistry models, CancellationToken ct)
    {
        var model = await models.GetActiveAsync(ct);
        return model.Passages is null
            ? throw new ApiProblemException(StatusCodes.Status409Conflict, "Passage search is turned off",
                $"This service does not compute passages ({PassageOptions.Section}:Enabled = false).")
            : model;
    }

    private static async Task<List<Passage>> StoredPassagesAsync(PassageStore store, ActiveModel model, Guid track, CancellationToken ct)
    {
        var passages = await store.ReadTrackAsync(model.Id, track, ct);
        return passages.Count > 0
            ? passages
            : throw new ApiProblemException(StatusCodes.Status409Conflict, "This track's passages are not computed yet",
                $"Track {track} has no passages of model {model.Id} yet; they are being added in the background. Try again in a minute.");
    }

    private static ApiProblemException TooShort(string detail, PassagePlan plan) =>
        new(StatusCodes.Status422UnprocessableEntity, "The clip is shorter than one passage",
            FormattableString.Invariant($"{detail} Passage search needs at least {plan.MinClipSeconds:0.###} s of audio (one passage)."));

    private static int Count(HttpRequest request, UploadedFile upload, string name, int fallback)
    {
        var text = request.Query.TryGetValue(name, out var fromQuery) ? fromQuery.ToString() : upload.Field(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"{name} must be a whole number between 1 and {MaxCount}", $"{name} was '{text}'.");
        CheckCount(name, value);
        return value;
    }

    private static void CheckCount(string name, int value)
    {
        if (value is < 1 or > MaxCount)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"{name} must be between 1 and {MaxCount}", $"{name} was {value}.");
    }
}

/// <summary>The multipart form of <c>POST /search/passages</c> (documentation only: the body is streamed, not bound).</summary>
public sealed class PassageSearchForm
{
    /// <summary>The clip: any audio ConvEmbed reads, at least one passage long. Nothing of it is kept.</summary>
    public required IFormFile File { get; init; }

    /// <summary>How many stretches, 1..100 (default 10).</summary>
    /// <example>10</example>
    public int? K { get; init; }

    /// <summary>At most this many stretches of one track, 1..100 (default 1).</summary>
    /// <example>1</example>
    public int? PerTrack { get; init; }
}

/// <summary>One passage of a strip.</summary>
/// <param name="Index">Its number in the track (it starts at index × hop).<example>12</example></param>
/// <param name="Start">Start in seconds.<example>18</example></param>
/// <param name="End">End in seconds.<example>21</example></param>
/// <param name="Change">1 − cosine similarity to the passage before: high where the music changes.<example>0.12</example></param>
public sealed record StripPassage(int Index, double Start, double End, double Change);

/// <summary>A track's passages in order.</summary>
/// <param name="ModelId">The model they are of.<example>2</example></param>
/// <param name="TrackId">The track.<example>0193a1c2-7d4e-7f00-8a1b-2c3d4e5f6a7b</example></param>
/// <param name="Duration">The track's length in seconds.<example>182.4</example></param>
/// <param name="PassageSeconds">Length of each passage.<example>3</example></param>
/// <param name="HopSeconds">Seconds between passage starts.<example>1.5</example></param>
/// <param name="Passages">The passages.</param>
public sealed record PassageStrip(long ModelId, Guid TrackId, double Duration, double PassageSeconds, double HopSeconds, IReadOnlyList<StripPassage> Passages);
