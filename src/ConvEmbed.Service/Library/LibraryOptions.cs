namespace ConvEmbed.Service.Library;

/// <summary>
/// Music folders indexed in place. Bound from <c>ConvEmbed:Library</c> (environment
/// <c>ConvEmbed__Library__Folders__0=/music</c>). The service only reads them: tracks reference their files.
/// </summary>
public sealed record LibraryOptions
{
    public const string Section = "ConvEmbed:Library";

    /// <summary>Folders scanned for audio files, recursively (read-only access is enough). Empty: no library.</summary>
    public string[] Folders { get; init; } = [];

    /// <summary>Minutes between rescans (0: only at start-up and on <c>POST /admin/library/scan</c>).</summary>
    public double RescanMinutes { get; init; } = 60;

    /// <summary>Files indexed at once by this instance (decode and embed are also bounded by ConvEmbed:Processing).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Whether this instance scans and indexes (an API-only replica can leave it to another).</summary>
    public bool WorkerEnabled { get; init; } = true;

    /// <summary>File name extensions taken for audio; other files (covers, playlists, text) are passed over silently.</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".wav", ".aif", ".aiff", ".wma", ".ape", ".wv", ".mka", ".webm",
        ".mod", ".xm", ".it", ".s3m", // tracker modules: game soundtracks ship them, ffmpeg renders them
    };

    /// <summary>The folders as absolute paths without a trailing separator.</summary>
    public IReadOnlyList<string> FullFolders => Folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).ToList();

    /// <summary>Whether the full path <paramref name="path"/> lies inside one of the folders (a folder "/" included).</summary>
    public bool Contains(string path) =>
        FullFolders.Any(f => path.StartsWith(Path.EndsInDirectorySeparator(f) ? f : f + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    public IEnumerable<string> Validate()
    {
        foreach (var folder in Folders)
        {
            if (string.IsNullOrWhiteSpace(folder)) { yield return $"{Section}:Folders has an empty entry."; continue; }
            string? problem = null;
            try
            {
                if (!Directory.Exists(folder)) problem = "does not exist";
                else using (Directory.EnumerateFileSystemEntries(folder).GetEnumerator()) { }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                problem = $"cannot be read ({e.Message})";
            }
            if (problem is not null) yield return $"{Section}:Folders: '{folder}' {problem}.";
        }
        if (RescanMinutes < 0) yield return $"{Section}:RescanMinutes must be 0 (no periodic rescan) or positive (was {RescanMinutes}).";
        if (Parallelism is < 1 or > 64) yield return $"{Section}:Parallelism must be between 1 and 64 (was {Parallelism}).";
    }
}
