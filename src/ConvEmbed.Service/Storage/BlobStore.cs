namespace ConvEmbed.Service.Storage;

/// <summary>
/// Original uploads, content-addressed: <c>{root}/ab/cd/{sha256}</c>. A blob is published by renaming a finished,
/// fsynced temporary file into place, so readers see a whole file or none.
/// </summary>
public sealed class BlobStore(StoragePaths paths)
{
    public string PathFor(string sha256) => Path.Combine(paths.Blobs, sha256[..2], sha256[2..4], sha256);

    public bool Exists(string sha256) => File.Exists(PathFor(sha256));

    /// <summary>A new temporary file on the blob store's file system (the caller deletes or publishes it).</summary>
    public string NewTempPath() => Path.Combine(paths.Temp, $"{Guid.NewGuid():N}.part");

    /// <summary>Moves a finished temporary file into place under its hash (replacing an identical orphan, if any).</summary>
    public void Publish(string tempPath, string sha256)
    {
        var target = PathFor(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(tempPath, target, overwrite: true);
    }

    public void Delete(string sha256)
    {
        try { File.Delete(PathFor(sha256)); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Every stored blob (for tests and maintenance).</summary>
    public IEnumerable<string> All() =>
        Directory.EnumerateFiles(paths.Blobs, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(paths.Temp, StringComparison.Ordinal));
}
