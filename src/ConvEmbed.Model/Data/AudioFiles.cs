namespace ConvEmbed.Model.Data;

/// <summary>Which files under a folder are taken for audio: by extension, hidden files and folders left out.</summary>
public static class AudioFiles
{
    /// <summary>Extensions the front-end reads: PCM WAV in managed code, everything else through ffmpeg (tracker
    /// modules through its libopenmpt), with SoX as the second decoder.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".wave", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".mp4", ".wma", ".aif", ".aiff",
        ".webm", ".mka", ".ac3", ".wv", ".ape", ".caf", ".au", ".snd", ".amr", ".it", ".s3m", ".xm", ".mod",
    };

    public static bool IsAudio(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Audio files under <paramref name="folder"/>, recursively, in ordinal path order (so runs are reproducible).</summary>
    public static IReadOnlyList<string> Find(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"folder not found: {folder}");
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(p => IsAudio(p) && !Path.GetRelativePath(folder, p).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The label of a file: its first folder level under <paramref name="root"/>, or "" for a file directly in it.</summary>
    public static string LabelOf(string root, string path)
    {
        var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 ? parts[0] : "";
    }
}
