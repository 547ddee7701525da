using System.Security.Cryptography;
using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Processing;
using ConvEmbed.Service.Tracks;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Library;

/// <summary>
/// Indexes waiting library files, several at once: hash the file → same bytes as a stored track? link it (and if that
/// track's file is gone, it was moved: point the track here) → else decode, embed with the active model, read its tags
/// and store a track that references the file (no copy of the bytes). A file that cannot be indexed is recorded with
/// the reason and never stops the others.
/// </summary>
public sealed class LibraryIndexer(LibraryStore store, TrackStore tracks, TrackWriter writer, ModelRegistry models, AudioProcessor processor,
    AudioProbe probe, FeatureCache cache, IOptions<LibraryOptions> options, IOptions<UploadOptions> uploads, ILogger<LibraryIndexer> logger)
{
    public async Task IndexWaitingAsync(string worker, CancellationToken ct)
    {
        var indexers = Enumerable.Range(0, options.Value.Parallelism).Select(_ => Task.Run(async () =>
        {
            while (await store.ClaimAsync(worker, ct) is { } claim) await IndexAsync(claim, ct);
        }, ct));
        await Task.WhenAll(indexers);
    }

    private async Task IndexAsync(LibraryClaim claim, CancellationToken ct)
    {
        try
        {
            var track = await IndexFileAsync(claim, ct);
            await store.IndexedAsync(claim.Path, track, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await store.ReleaseAsync(claim.Path, CancellationToken.None); // stopping: the next start takes it at once
            throw;
        }
        catch (Exception e) when (e is AudioException or IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "the file vanished before it was indexed" : e.Message;
            logger.LogInformation("Library: {Path} is not indexed: {Reason}", claim.Path, reason);
            await store.UnreadableAsync(claim.Path, reason, ct);
        }
    }

    private async Task<Guid> IndexFileAsync(LibraryClaim claim, CancellationToken ct)
    {
        var file = new FileInfo(claim.Path);
        if (!file.Exists) throw new FileNotFoundException(claim.Path);
        if (file.Length > uploads.Value.MaxBytes)
            throw new IOException($"The file has {file.Length} bytes, more than {UploadOptions.Section}:MaxBytes ({uploads.Value.MaxBytes}).");
        var sha256 = await HashAsync(claim.Path, ct);

        if (await tracks.GetBySha256Async(sha256, ct) is { } known)
        {
            if (claim.PreviousTrack is { } previous && previous != known.Id) await RemoveIfOrphanAsync(previous, claim.Path, ct);
            if (known.Path is { } old && old != claim.Path && !File.Exists(old))
            {
                await tracks.MoveAsync(known.Id, claim.Path, ct); // moved or renamed: the same track, its new place
                logger.LogInformation("Library: {Old} moved to {New}", old, claim.Path);
            }
            return known.Id;
        }
        if (claim.PreviousTrack is { } changed) await RemoveIfOrphanAsync(changed, claim.Path, ct); // the file's content changed

        var model = await models.GetActiveAsync(ct);
        var (mel, vectors) = await processor.DecodeAndEmbedAsync(() => File.OpenRead(claim.Path), model.Embedder, model.Passages, ct);
        var tags = await probe.ProbeAsync(claim.Path, ct);
        var seconds = Math.Round((double)mel.Frames / ConvEmbed.Audio.FrontEnd.FramesPerSecond, 3);
        if (tags.IsTruncated(seconds))
            throw new CorruptAudioException($"The file declares {tags.DeclaredSeconds:0.##} s of audio but ends after {seconds:0.##} s: it is truncated.");
        var track = new Track(Guid.CreateVersion7(), sha256, tags.Title ?? Path.GetFileNameWithoutExtension(claim.Path), tags.Artist, tags.Album, [],
            seconds, tags.ContentType, file.Length, DateTimeOffset.UtcNow, claim.Path);
        var written = await writer.AddAsync(track, file.Name, mel, model, vectors, original: null, ct);
        // Null: the same bytes were stored a moment ago (an upload, or another instance's copy of the file): link to it.
        return written.Track?.Id ?? (await tracks.GetBySha256Async(sha256, ct))?.Id
               ?? throw new IOException("The same bytes were stored and deleted again meanwhile; the next scan tries again.");
    }

    /// <summary>A track this file led to before: removed with its vectors, map points and cache entry, unless another
    /// library file (or an upload) still is those bytes.</summary>
    private async Task RemoveIfOrphanAsync(Guid track, string path, CancellationToken ct)
    {
        if (await tracks.GetAsync(track, ct) is not { Path: { } trackPath }) return; // gone already, or an upload
        if (trackPath != path && File.Exists(trackPath)) return;
        await RemoveTrackAsync(track, ct);
    }

    /// <summary>Deletes a library track: its row, vectors and map points (by cascade) and its cached log-mel.</summary>
    public async Task RemoveTrackAsync(Guid track, CancellationToken ct) =>
        await tracks.DeleteAsync(track, sha256 =>
        {
            try { File.Delete(cache.PathFor(sha256)); } catch (IOException) { }
        }, ct);

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
