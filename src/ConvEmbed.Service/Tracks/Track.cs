namespace ConvEmbed.Service.Tracks;

/// <summary>A stored track: its metadata and where its bytes are known by (the SHA-256).</summary>
/// <param name="Id">Track id (a UUID).<example>0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10</example></param>
/// <param name="Sha256">SHA-256 of the uploaded bytes, lowercase hex.<example>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</example></param>
/// <param name="Title">From the request, else the file's tags, else its file name.<example>Night Drive</example></param>
/// <param name="Artist">Artist, if given or tagged.<example>The Synths</example></param>
/// <param name="Album">Album, if given or tagged.<example>Neon</example></param>
/// <param name="Tags">Tags (comma-separated in the upload).<example>["synthwave","night"]</example></param>
/// <param name="DurationSeconds">Decoded duration in seconds.<example>184.32</example></param>
/// <param name="ContentType">Media type of the original bytes, as served by /tracks/{id}/audio.<example>audio/mpeg</example></param>
/// <param name="SizeBytes">Size of the original bytes.<example>2949120</example></param>
/// <param name="CreatedAt">When it was uploaded or indexed.</param>
/// <param name="Path">The file in a library folder (ConvEmbed:Library:Folders) the track is read from; null for an upload.<example>/music/Artist/Album/01 Song.flac</example></param>
public record Track(Guid Id, string Sha256, string Title, string? Artist, string? Album, IReadOnlyList<string> Tags,
    double DurationSeconds, string ContentType, long SizeBytes, DateTimeOffset CreatedAt, string? Path = null);
