using ConvEmbed.Audio.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Processing;
using ConvEmbed.Service.Storage;

namespace ConvEmbed.Service.Tracks;

/// <summary>
/// An upload, one way through: stream to a temporary file while hashing → already stored? answer that → decode,
/// log-mel, embed with the active model → tags → in one transaction: insert the row (the unique hash decides between
/// racing uploads), publish blob and feature-cache entry, insert the vector, commit. Any failure leaves no row, no
/// blob and no cache entry.
/// </summary>
public sealed class UploadPipeline(UploadReader reader, AudioProcessor processor, ModelRegistry models, TrackStore store,
    TrackWriter writer, BlobStore blobs, AudioProbe probe)
{
    public sealed record Outcome(UploadedTrack Track, bool Created);

    public async Task<Outcome> UploadAsync(HttpRequest request, CancellationToken ct)
    {
        using var upload = await reader.ReadAsync(request, ct);
        var model = await models.GetActiveAsync(ct);
        if (await ExistingAsync(upload.Sha256, model, async () => (await processor.DecodeAndEmbedAsync(upload.OpenRead, model.Embedder, null, ct)).Vectors.Track, ct)
            is { } existing)
            return new Outcome(existing, false);

        var (mel, vectors) = await processor.DecodeAndEmbedAsync(upload.OpenRead, model.Embedder, model.Passages, ct);
        var tags = await probe.ProbeAsync(upload.TempPath, ct);
        var seconds = Math.Round((double)mel.Frames / ConvEmbed.Audio.FrontEnd.FramesPerSecond, 3);
        if (tags.IsTruncated(seconds))
            throw new CorruptAudioException($"The file declares {tags.DeclaredSeconds:0.##} s of audio but ends after {seconds:0.##} s: it is truncated.");
        var track = new Track(
            Guid.CreateVersion7(), upload.Sha256,
            upload.Field("title") ?? tags.Title ?? TitleFromFileName(upload.FileName),
            upload.Field("artist") ?? tags.Artist,
            upload.Field("album") ?? tags.Album,
            ParseTags(upload.Field("tags")),
            seconds,
            tags.ContentType, upload.Length,
            DateTimeOffset.UtcNow); // provisional: the stored row carries the database's time (TrackStore.AddAsync)

        var (stored, storedModel, storedEmbedding) = await writer.AddAsync(track, upload.FileName, mel, model, vectors,
            (() => blobs.Publish(upload.TempPath, upload.Sha256), () => blobs.Delete(upload.Sha256)), ct);
        if (stored is null)
            return new Outcome(await ExistingAsync(upload.Sha256, storedModel, async () => (await processor.EmbedAsync(mel, storedModel.Embedder, null, ct)).Track, ct)
                               ?? throw new InvalidOperationException("A concurrent upload of the same bytes was stored and then deleted; try again."), false);
        return new Outcome(new UploadedTrack(stored, storedModel.Id, storedEmbedding), true);
    }

    /// <summary>The stored track with these bytes, or null. One that lacks a vector of the active model (a re-embedding
    /// could not read it) is embedded now from the bytes just uploaded, so the answer always carries its embedding.</summary>
    private async Task<UploadedTrack?> ExistingAsync(string sha256, ActiveModel model, Func<Task<float[]>> embed, CancellationToken ct)
    {
        if (await store.GetBySha256Async(sha256, ct) is not { } track) return null;
        if (await store.GetEmbeddingAsync(track.Id, model.Id, ct) is not { } embedding)
        {
            embedding = await store.AddEmbeddingAsync(track.Id, model.Id, await embed(), ct);
        }
        return new UploadedTrack(track, model.Id, embedding);
    }

    public static IReadOnlyList<string> ParseTags(string? tags) =>
        tags is null ? [] : tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();

    private static string TitleFromFileName(string? fileName) =>
        fileName is null ? "Untitled" : Path.GetFileNameWithoutExtension(fileName) is { Length: > 0 } stem ? stem : fileName;
}
