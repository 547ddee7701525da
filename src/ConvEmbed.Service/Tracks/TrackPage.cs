namespace ConvEmbed.Service.Tracks;

/// <summary>One page of <c>GET /tracks</c>.</summary>
/// <param name="Total">Tracks matching the filters, over all pages.<example>1234</example></param>
/// <param name="Page">1-based page number.<example>1</example></param>
/// <param name="PageSize">Tracks per page (1..100).<example>20</example></param>
public sealed record TrackPage(IReadOnlyList<Track> Items, long Total, int Page, int PageSize);
