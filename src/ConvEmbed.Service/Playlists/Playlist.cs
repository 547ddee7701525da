namespace ConvEmbed.Service.Playlists;

/// <summary>An ordered list of tracks to play, and the model whose vectors chose them.</summary>
public sealed record Playlist(long ModelId, IReadOnlyList<PlaylistItem> Items);

/// <summary>One entry of a playlist.</summary>
/// <param name="Similarity">Cosine to the seeds (radio) or to the previous track (path).<example>0.83</example></param>
/// <param name="Path">The library file, for library tracks (what a local player or a media server opens).</param>
/// <param name="AudioUrl">Where the service streams the track.<example>/tracks/0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10/audio</example></param>
public sealed record PlaylistItem(Guid Id, string Title, string? Artist, string? Album, double DurationSeconds, double Similarity, string? Path, string AudioUrl);
