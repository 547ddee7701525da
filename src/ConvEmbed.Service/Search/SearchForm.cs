namespace ConvEmbed.Service.Search;

/// <summary>The multipart form of <c>POST /search</c> (documentation only: the body is streamed, not bound).</summary>
public sealed class SearchForm
{
    /// <summary>An audio file that is not stored; nothing of it is kept.</summary>
    public required IFormFile File { get; init; }

    /// <summary>How many neighbours, 1..100 (default 10).</summary>
    /// <example>10</example>
    public int? K { get; init; }
}
