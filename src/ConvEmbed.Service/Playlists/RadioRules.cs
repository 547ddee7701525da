namespace ConvEmbed.Service.Playlists;

/// <summary>What a radio may pick: a validated <see cref="RadioRequest"/>.</summary>
public sealed record RadioRules(int Count, int? MaxPerArtist, int? MaxPerAlbum, IReadOnlySet<Guid> Exclude, double Diversity, double DuplicateSimilarity);
