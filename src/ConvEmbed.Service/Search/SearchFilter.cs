namespace ConvEmbed.Service.Search;

/// <summary>Optional restrictions of a similarity search: an artist (case-insensitive) and/or a tag (exact).</summary>
public sealed record SearchFilter(string? Artist, string? Tag)
{
    public static readonly SearchFilter None = new(null, null);

    public bool IsEmpty => string.IsNullOrWhiteSpace(Artist) && string.IsNullOrWhiteSpace(Tag);
}
