namespace ConvEmbed.Service.Tracks;

/// <summary>The multipart form of <c>POST /tracks</c> (documentation only: the body is streamed, not bound).</summary>
public sealed class UploadForm
{
    /// <summary>The audio file: mp3, flac, ogg/vorbis, opus, m4a/aac, wav, … (anything ffmpeg decodes).</summary>
    public required IFormFile File { get; init; }

    /// <summary>Title; default: the file's title tag, else its file name.</summary>
    /// <example>Night Drive</example>
    public string? Title { get; init; }

    /// <summary>Artist; default: the file's artist tag.</summary>
    /// <example>The Synths</example>
    public string? Artist { get; init; }

    /// <summary>Album; default: the file's album tag.</summary>
    /// <example>Neon</example>
    public string? Album { get; init; }

    /// <summary>Comma-separated tags.</summary>
    /// <example>synthwave,night</example>
    public string? Tags { get; init; }
}
