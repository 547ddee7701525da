using Npgsql;
using NpgsqlTypes;

namespace ConvEmbed.Service.Library;

/// <summary>
/// SQL for <c>library_files</c> and <c>library_scans</c>: what each scan saw, the queue of files waiting to be indexed
/// (claimed with <c>FOR UPDATE SKIP LOCKED</c>, so instances never index one file twice; a claim whose instance died is
/// taken over after <see cref="ClaimTimeout"/>), and the problems.
/// </summary>
public sealed class LibraryStore(NpgsqlDataSource dataSource)
{
    /// <summary>Longer than one file's decode may take (ConvEmbed:Audio's ffmpeg timeout is shorter).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    public async Task<long> BeginScanAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO library_scans DEFAULT VALUES RETURNING id");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Records files seen by <paramref name="scan"/>: new ones wait; one whose size or time changed waits again.</summary>
    public async Task SeenAsync(long scan, IReadOnlyList<LibraryFile> files, CancellationToken ct)
    {
        const string changed = "(library_files.size_bytes <> excluded.size_bytes OR library_files.mtime <> excluded.mtime)";
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO library_files (path, size_bytes, mtime, scan)
            SELECT f.path, f.size_bytes, f.mtime, $4 FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS f(path, size_bytes, mtime)
            ON CONFLICT (path) DO UPDATE SET
                scan = excluded.scan,
                state = CASE WHEN {changed} THEN 'waiting' ELSE library_files.state END,
                reason = CASE WHEN {changed} THEN NULL ELSE library_files.reason END,
                updated_at = CASE WHEN {changed} THEN now() ELSE library_files.updated_at END,
                size_bytes = excluded.size_bytes, mtime = excluded.mtime
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Path).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.SizeBytes).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Modified).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = scan });
        await command.ExecuteNonQueryAsync(ct);
        await using var count = dataSource.CreateCommand("UPDATE library_scans SET seen = seen + $2 WHERE id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = scan });
        count.Parameters.Add(new NpgsqlParameter { Value = (long)files.Count });
        await count.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A folder the scan could not walk (permissions, a symbolic link loop): reported with the files' problems.</summary>
    public async Task FolderProblemAsync(long scan, string path, string reason, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO library_files (path, size_bytes, mtime, scan, state, reason) VALUES ($1, 0, now(), $2, 'unreadable', $3)
            ON CONFLICT (path) DO UPDATE SET scan = excluded.scan, state = 'unreadable', reason = excluded.reason
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        command.Parameters.Add(new NpgsqlParameter { Value = scan });
        command.Parameters.Add(new NpgsqlParameter { Value = reason });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Takes the next waiting file for <paramref name="worker"/>, or null when none waits.</summary>
    public async Task<LibraryClaim?> ClaimAsync(string worker, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE library_files SET claimed_by = $1, claimed_at = now()
            WHERE path = (SELECT path FROM library_files
                          WHERE state = 'waiting' AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2))
                          ORDER BY path FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING path, track_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = ClaimTimeout.TotalSeconds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LibraryClaim(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1)) : null;
    }

    /// <summary>Gives back the files an earlier process of <paramref name="instance"/> claimed (it was killed); returns how many.</summary>
    public async Task<int> ReleaseEarlierClaimsAsync(string instance, string worker, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE library_files SET claimed_by = NULL, claimed_at = NULL
            WHERE state = 'waiting' AND starts_with(claimed_by, $1 || ':') AND claimed_by <> $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = instance });
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Gives a claimed file back (this instance is stopping): it waits for the next indexer.</summary>
    public async Task ReleaseAsync(string path, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE library_files SET claimed_by = NULL, claimed_at = NULL WHERE path = $1 AND state = 'waiting'");
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task IndexedAsync(string path, Guid track, CancellationToken ct) => FinishAsync(path, "indexed", null, track, ct);

    public Task UnreadableAsync(string path, string reason, CancellationToken ct) => FinishAsync(path, "unreadable", reason, null, ct);

    private async Task FinishAsync(string path, string state, string? reason, Guid? track, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE library_files SET state = $2, reason = $3, track_id = $4, claimed_by = NULL, claimed_at = NULL, updated_at = now()
            WHERE path = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        command.Parameters.Add(new NpgsqlParameter { Value = state });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)track ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Keeps the files that led to <paramref name="track"/> out of the index (their track is being deleted
    /// through the API) until they change or a rescan retries them; returns how many.</summary>
    public async Task<int> ExcludeAsync(Guid track, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE library_files SET state = 'excluded', reason = 'its track was deleted through DELETE /tracks/' || $1::text,
                   claimed_by = NULL, claimed_at = NULL, updated_at = now()
            WHERE track_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = track });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets the unreadable and excluded files (and unreadable folders), so the next walk finds them as new
    /// and they are tried again; returns how many.</summary>
    public async Task<int> ForgetProblemsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM library_files WHERE state IN ('unreadable', 'excluded')");
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets the files <paramref name="scan"/> did not see (deleted, or moved away); returns the tracks they led to.</summary>
    public async Task<IReadOnlyList<Guid>> ForgetUnseenAsync(long scan, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM library_files WHERE scan <> $1 RETURNING track_id");
        command.Parameters.Add(new NpgsqlParameter { Value = scan });
        var tracks = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!reader.IsDBNull(0)) tracks.Add(reader.GetGuid(0));
        return tracks.Distinct().ToList();
    }

    /// <summary>Library tracks (they have a path) that no library file row points to.</summary>
    public async Task<IReadOnlyList<Guid>> TracksWithoutFileAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id FROM tracks t WHERE t.path IS NOT NULL AND NOT EXISTS (SELECT 1 FROM library_files f WHERE f.track_id = t.id)
            """);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>Another library file that is the same bytes as <paramref name="track"/>, if one is left.</summary>
    public async Task<string?> AnyFileOfAsync(Guid track, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT path FROM library_files WHERE track_id = $1 ORDER BY path LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = track });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task FinishScanAsync(long scan, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE library_scans SET finished_at = now() WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = scan });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<LibraryStatus> StatusAsync(IReadOnlyList<string> folders, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE state = 'indexed'), count(*) FILTER (WHERE state = 'waiting'),
                   count(*) FILTER (WHERE state = 'unreadable'),
                   count(*) FILTER (WHERE state IN ('indexed', 'unreadable') AND updated_at > now() - interval '1 minute'),
                   s.started_at, s.finished_at, coalesce(s.seen, 0), count(*) FILTER (WHERE state = 'excluded')
            FROM (SELECT 1) one
            LEFT JOIN library_files f ON true
            LEFT JOIN LATERAL (SELECT started_at, finished_at, seen FROM library_scans ORDER BY id DESC LIMIT 1) s ON true
            GROUP BY s.started_at, s.finished_at, s.seen
            """);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        long indexed = r.GetInt64(0), waiting = r.GetInt64(1), unreadable = r.GetInt64(2), lastMinute = r.GetInt64(3);
        DateTimeOffset? started = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), finished = r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5);
        double? eta = waiting > 0 && lastMinute > 0 ? Math.Round(waiting * 60.0 / lastMinute, 1) : null;
        return new LibraryStatus(folders, waiting > 0 || started is not null && finished is null, r.GetInt64(6), indexed, waiting, unreadable,
            lastMinute, eta, started, finished, r.GetInt64(7));
    }

    public async Task<LibraryProblemPage> ProblemsAsync(int page, int pageSize, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM library_files WHERE state = 'unreadable'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"SELECT path, coalesce(reason, ''), updated_at FROM library_files WHERE state = 'unreadable' ORDER BY path LIMIT {pageSize} OFFSET {(long)(page - 1) * pageSize}"));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var items = new List<LibraryProblem>();
        while (await reader.ReadAsync(ct)) items.Add(new LibraryProblem(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return new LibraryProblemPage(items, total, page, pageSize);
    }
}
