namespace ConvEmbed.Service.Tracks;

/// <summary>Filters and paging of <c>GET /tracks</c>: exact artist (case-insensitive), one tag, a substring of the title.</summary>
public sealed record TrackQuery(int Page, int PageSize, string? Artist, string? Tag, string? Title);
