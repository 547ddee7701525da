using ConvEmbed.Service.Errors;

namespace ConvEmbed.Service.Tracks;

/// <summary>Track ids in routes are UUIDs; anything else is a 400 that says so.</summary>
public static class TrackIds
{
    public static Guid Parse(string id) =>
        Guid.TryParse(id, out var guid)
            ? guid
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "The track id is malformed", $"'{id}' is not a UUID.");

    public static ApiProblemException NotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, "No such track", $"There is no track {id}.");
}
