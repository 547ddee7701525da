using ConvEmbed.Service.Tracks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Library;

/// <summary>
/// One scan of the library folders: walk them (recording every audio file with its size and time; new and changed
/// files wait), index what waits, then forget the files the walk did not find — their tracks go with them, unless the
/// same bytes turned up elsewhere (a move: the track follows its file). One instance walks at a time (an advisory
/// lock); the others help index. A scan stopped half-way leaves its files waiting: the next one goes on from there.
/// </summary>
public sealed class LibraryScanner(LibraryStore store, LibraryIndexer indexer, TrackStore tracks, NpgsqlDataSource dataSource,
    IOptions<LibraryOptions> options, ILogger<LibraryScanner> logger)
{
    // One walker at a time across the instances of one library: the lock is named after the schema, since several
    // services (the tests, or tenants) may share a database in schemas of their own.
    private const string LockKey = "hashtext(current_schema() || '/convembed-library-walk')";
    private const int Batch = 500;

    public async Task ScanAsync(string worker, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
            if (await tryLock.ExecuteScalarAsync(ct) is not true)
            {
                await indexer.IndexWaitingAsync(worker, ct); // another instance walks; help with its files
                return;
            }
        try
        {
            var scan = await store.BeginScanAsync(ct);
            logger.LogInformation("Library scan {Scan}: walking {Folders}", scan, string.Join(", ", options.Value.FullFolders));
            foreach (var folder in options.Value.FullFolders) await WalkAsync(scan, folder, ct);
            await indexer.IndexWaitingAsync(worker, ct);
            var removed = await ForgetVanishedAsync(scan, ct);
            await store.FinishScanAsync(scan, ct);
            logger.LogInformation("Library scan {Scan} finished; {Removed} track(s) of vanished files removed", scan, removed);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task WalkAsync(long scan, string root, CancellationToken ct)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var folders = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        var seen = new List<LibraryFile>(Batch);
        while (folders.TryPop(out var folder))
        {
            ct.ThrowIfCancellationRequested();
            List<FileSystemInfo> entries;
            try
            {
                var real = folder.LinkTarget is null ? folder.FullName : folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder.FullName;
                if (!visited.Add(real))
                {
                    await store.FolderProblemAsync(scan, folder.FullName, $"a symbolic link loop: it leads back to {real}, which is scanned already", ct);
                    continue;
                }
                entries = folder.EnumerateFileSystemInfos().ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                await store.FolderProblemAsync(scan, folder.FullName, $"the folder cannot be read: {e.Message}", ct);
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo child) folders.Push(child);
                else if (entry is FileInfo file && LibraryOptions.AudioExtensions.Contains(file.Extension) && Describe(file) is { } described)
                {
                    seen.Add(described);
                    if (seen.Count < Batch) continue;
                    await store.SeenAsync(scan, seen, ct);
                    seen.Clear();
                }
            }
        }
        if (seen.Count > 0) await store.SeenAsync(scan, seen, ct);
    }

    /// <summary>Size and time of the file (of its target, for a symbolic link); null when it vanished or the link dangles.</summary>
    private static LibraryFile? Describe(FileInfo file)
    {
        try
        {
            var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
            return target is { Exists: true } ? new LibraryFile(file.FullName, target.Length, LibraryFile.ToStored(target.LastWriteTimeUtc)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<int> ForgetVanishedAsync(long scan, CancellationToken ct)
    {
        var removed = 0;
        // The files this scan did not see, and library tracks no file row leads to any more (left by a scan of an
        // older version, which kept a track whose file still existed after its folder was taken out of the settings).
        var candidates = (await store.ForgetUnseenAsync(scan, ct)).Concat(await store.TracksWithoutFileAsync(ct)).Distinct();
        foreach (var id in candidates)
        {
            if (await tracks.GetAsync(id, ct) is not { Path: { } path }) continue; // an upload keeps its blob
            if (File.Exists(path) && options.Value.Contains(path)) continue; // a file outside the folders (one taken out of them) goes too
            if (await store.AnyFileOfAsync(id, ct) is { } other)
            {
                await tracks.MoveAsync(id, other, ct); // another copy of the same bytes is still in the library
                continue;
            }
            await indexer.RemoveTrackAsync(id, ct);
            removed++;
        }
        return removed;
    }
}
