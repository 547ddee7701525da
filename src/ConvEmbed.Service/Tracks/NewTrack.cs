namespace ConvEmbed.Service.Tracks;

/// <summary>What an upload inserts: the row of <c>tracks</c> before it exists.</summary>
public sealed record NewTrack(Guid Id, string Sha256, string Title, string? Artist, string? Album, IReadOnlyList<string> Tags,
    double DurationSeconds, string ContentType, string? FileName, long SizeBytes);
