namespace ConvEmbed.Model.Playlists;

/// <summary>A track a radio may play: its id, what tells duplicates and artists apart, its ℓ2-normalised vector and its
/// cosine to the seeds.</summary>
public sealed record RadioCandidate(string Id, string Title, string? Artist, string? Album, float[] Vector, double SeedSimilarity);
