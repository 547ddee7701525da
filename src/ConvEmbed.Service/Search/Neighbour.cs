namespace ConvEmbed.Service.Search;

/// <summary>A track near the query, with its cosine similarity (1 = same direction).</summary>
/// <param name="Id">The neighbour's id.<example>0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10</example></param>
/// <param name="Title">Its title.<example>Night Drive</example></param>
/// <param name="Artist">Its artist, if known.<example>The Synths</example></param>
/// <param name="Similarity">Cosine similarity to the query track.<example>0.93</example></param>
public sealed record Neighbour(Guid Id, string Title, string? Artist, double Similarity);
