using System.Security.Cryptography;
using System.Text;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ConvEmbed.Service.Tracks;

/// <summary>
/// Reads a multipart/form-data upload without holding it in memory: the <c>file</c> part goes to a temporary file
/// while its SHA-256 is computed and its size checked against <see cref="UploadOptions.MaxBytes"/>; small text parts
/// (title, artist, …) are collected. Every way the request can be wrong ends in an <see cref="ApiProblemException"/>
/// and leaves no temporary file behind.
/// </summary>
public sealed class UploadReader(IOptions<UploadOptions> options, BlobStore blobs)
{
    public const string FilePart = "file";
    private const int MaxFieldBytes = 4096;
    private static readonly string[] Fields = ["title", "artist", "album", "tags", "k", "perTrack"];

    public async Task<UploadedFile> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var maxBytes = options.Value.MaxBytes;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Send the audio as multipart/form-data",
                $"The body must be multipart/form-data with the audio in a part named '{FilePart}' (was '{request.ContentType}').");
        if (request.ContentLength > maxBytes + 1024 * 1024)
            throw TooLarge(maxBytes);

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? tempPath = null, sha256 = null, fileName = null;
        long length = 0;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name.Equals(FilePart, StringComparison.OrdinalIgnoreCase))
                {
                    if (tempPath is not null)
                        throw new ApiProblemException(StatusCodes.Status400BadRequest, "Send one file per request", $"The form has more than one '{FilePart}' part.");
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    tempPath = blobs.NewTempPath();
                    (sha256, length) = await CopyAsync(section.Body, tempPath, maxBytes, ct);
                }
                else if (Fields.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    fields[name] = await ReadFieldAsync(section.Body, name, ct);
                }
            }
            if (tempPath is null)
                throw new ApiProblemException(StatusCodes.Status400BadRequest, $"The form has no '{FilePart}' part",
                    $"Attach the audio as a multipart part named '{FilePart}'.");
            return new UploadedFile(tempPath, sha256!, length, string.IsNullOrWhiteSpace(fileName) ? null : Path.GetFileName(fileName), fields);
        }
        catch (Exception e)
        {
            if (tempPath is not null) TryDelete(tempPath);
            if (e is ApiProblemException or OperationCanceledException) throw;
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) throw TooLarge(maxBytes);
            if (e is IOException or InvalidDataException or BadHttpRequestException)
                throw new ApiProblemException(StatusCodes.Status400BadRequest, "The upload broke off or is not valid multipart/form-data", e.Message, e);
            throw;
        }
    }

    private static ApiProblemException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "The file is too large",
            $"Uploads are limited to {maxBytes / (1024.0 * 1024.0):0.#} MB (ConvEmbed:Uploads:MaxBytes).");

    private static async Task<(string Sha256, long Length)> CopyAsync(Stream body, string path, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                length += n;
                if (length > maxBytes) throw TooLarge(maxBytes);
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true); // it may be published by a rename: its data must be on disk first
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        int total = 0, n;
        while (total < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += n;
        if (total > MaxFieldBytes)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"The field '{name}' is too long", $"Form fields are limited to {MaxFieldBytes} bytes.");
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
