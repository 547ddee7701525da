namespace ConvEmbed.Service.Search;

/// <summary>Neighbours of a track or of an uploaded file, nearest first, all from one model.</summary>
/// <param name="ModelId">The model whose vectors answered.<example>1</example></param>
/// <param name="Items">Up to k neighbours, most similar first.</param>
public sealed record SimilarTracks(long ModelId, IReadOnlyList<Neighbour> Items);
