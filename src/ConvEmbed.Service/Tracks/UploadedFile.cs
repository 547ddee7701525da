namespace ConvEmbed.Service.Tracks;

/// <summary>
/// The <c>file</c> part of an upload, streamed to a temporary file on the blob store's file system with its SHA-256,
/// plus the form's text fields. Disposing deletes the temporary file unless it was published (moved away).
/// </summary>
public sealed class UploadedFile(string tempPath, string sha256, long length, string? fileName, IReadOnlyDictionary<string, string> fields)
    : IDisposable
{
    public string TempPath { get; } = tempPath;
    public string Sha256 { get; } = sha256;
    public long Length { get; } = length;
    public string? FileName { get; } = fileName;
    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    public string? Field(string name) => Fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public FileStream OpenRead() => new(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    public void Dispose()
    {
        try { File.Delete(TempPath); } catch (IOException) { }
    }
}
