using System.Text.Json;
using Npgsql;

namespace ConvEmbed.Service.Training;

/// <summary>
/// The job queue in PostgreSQL (<c>training_jobs</c>). One open job at a time is enforced by a unique partial index;
/// workers claim with <c>FOR UPDATE SKIP LOCKED</c>, so any number of service instances can share one database and
/// exactly one of them runs a job; a running job's worker writes a heartbeat, and a job whose heartbeat stops is failed.
/// </summary>
public sealed class TrainingJobs(NpgsqlDataSource dataSource)
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    // The last column: seconds since a running job's heartbeat, when it is late (the worker writes one every second).
    private static readonly string Queued = JobNames.Name(JobState.Queued), Running = JobNames.Name(JobState.Running),
        Reembedding = JobNames.Name(JobState.Reembedding), Cancelled = JobNames.Name(JobState.Cancelled), Failed = JobNames.Name(JobState.Failed);
    private static readonly string Claimed = $"('{Running}', '{Reembedding}')";

    private static readonly string Columns = "id, kind, state, settings::text, progress::text, model_id, error, cancel_requested, claimed_by, created_at, started_at, finished_at, " +
                                   $"CASE WHEN heartbeat < now() - interval '5 seconds' AND state IN {Claimed} THEN extract(epoch FROM now() - heartbeat) END";

    /// <summary>Queues a job; null when another job is open (the unique index decided).</summary>
    public async Task<TrainingJob?> EnqueueAsync(JobKind kind, TrainingSettings? settings, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO training_jobs (kind, settings, model_id) VALUES ($1, $2::jsonb, $3) ON CONFLICT DO NOTHING RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter { Value = JobNames.Name(kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(settings, Json) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)modelId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return await ReadOneAsync(command, ct);
    }

    public async Task<TrainingJob?> GetAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM training_jobs WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(command, ct);
    }

    public async Task<TrainingJob?> GetOpenAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM training_jobs WHERE state IN {JobNames.OpenSql}");
        return await ReadOneAsync(command, ct);
    }

    public async Task<IReadOnlyList<TrainingJob>> ListAsync(int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM training_jobs ORDER BY id DESC LIMIT {limit}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<TrainingJob>();
        while (await reader.ReadAsync(ct)) jobs.Add(Read(reader));
        return jobs;
    }

    /// <summary>Whether a job was queued after <paramref name="since"/>, or one is open.</summary>
    public async Task<bool> AnySinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM training_jobs WHERE created_at > $1 OR state IN {JobNames.OpenSql})");
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Takes the oldest queued job for <paramref name="worker"/>, or null; another instance's claim is skipped, not waited for.</summary>
    public async Task<TrainingJob?> ClaimAsync(string worker, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET state = '{Running}', claimed_by = $1, heartbeat = now(), started_at = now()
            WHERE id = (SELECT id FROM training_jobs WHERE state = '{Queued}' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Writes progress and the heartbeat of a claimed job; returns whether a cancel was requested.</summary>
    public async Task<bool> ReportAsync(long id, string worker, JobState state, TrainingJobProgress progress, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET state = $3, progress = $4::jsonb, model_id = coalesce($5, model_id), heartbeat = now()
            WHERE id = $1 AND claimed_by = $2 AND state IN {Claimed}
            RETURNING cancel_requested
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = JobNames.Name(state) });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(progress, Json) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)modelId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        // A job that is no longer ours (failed as stale by another instance) is treated as cancelled here.
        return await command.ExecuteScalarAsync(ct) is not false;
    }

    /// <summary>Ends a job: succeeded, failed (with the reason) or cancelled.</summary>
    public async Task FinishAsync(long id, JobState state, string? error, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET state = $2, error = $3, model_id = coalesce($4, model_id), finished_at = now()
            WHERE id = $1 AND state IN {JobNames.OpenSql}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = JobNames.Name(state) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)modelId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A queued job is cancelled at once; a running one is asked to stop (its worker ends it at the next step).</summary>
    public async Task<TrainingJob?> CancelAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET
                state = CASE WHEN state = '{Queued}' THEN '{Cancelled}' ELSE state END,
                finished_at = CASE WHEN state = '{Queued}' THEN now() ELSE finished_at END,
                cancel_requested = true
            WHERE id = $1 AND state IN {JobNames.OpenSql}
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Running jobs whose worker stopped reporting (its service was killed): failed, with their half-made model id.</summary>
    public Task<IReadOnlyList<(long Job, long? Model)>> FailStaleAsync(TimeSpan timeout, CancellationToken ct) =>
        FailClaimedAsync("heartbeat < now() - make_interval(secs => $2)",
            "interrupted by a restart: the service running it stopped (no heartbeat since %heartbeat%)", ct, timeout.TotalSeconds);

    /// <summary>
    /// Jobs this instance claimed in an earlier life (same <paramref name="instance"/>, another process): that process is
    /// gone, so they are failed at once instead of after the heartbeat timeout.
    /// </summary>
    public Task<IReadOnlyList<(long Job, long? Model)>> FailEarlierClaimsAsync(string instance, string worker, CancellationToken ct) =>
        FailClaimedAsync("starts_with(claimed_by, $2 || ':') AND claimed_by <> $3",
            "interrupted by a restart: the service running it was restarted (its new process found the job still running)", ct, instance, worker);

    /// <summary>Fails the claimed jobs that meet <paramref name="condition"/> (whose parameters start at $2); in
    /// <paramref name="error"/>, %heartbeat% becomes the job's last heartbeat.</summary>
    private async Task<IReadOnlyList<(long Job, long? Model)>> FailClaimedAsync(string condition, string error, CancellationToken ct, params object[] values)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET state = '{Failed}', finished_at = now(),
                error = replace($1, '%heartbeat%', coalesce(to_char(heartbeat, 'YYYY-MM-DD HH24:MI:SS TZ'), 'never'))
            WHERE state IN {Claimed} AND {condition}
            RETURNING id, model_id, kind
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var failed = new List<(long, long?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            failed.Add((reader.GetInt64(0), JobNames.ParseKind(reader.GetString(2)) == JobKind.Train && !reader.IsDBNull(1) ? reader.GetInt64(1) : null));
        return failed;
    }

    private static async Task<TrainingJob?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static TrainingJob Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), JobNames.ParseKind(r.GetString(1)), JobNames.ParseState(r.GetString(2)),
        JsonSerializer.Deserialize<TrainingSettings>(r.GetString(3), Json),
        JsonSerializer.Deserialize<TrainingJobProgress>(r.GetString(4), Json) ?? TrainingJobProgress.None,
        r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetBoolean(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
        r.IsDBNull(12) ? null : $"stale: no heartbeat for {r.GetDouble(12):0} s (its service may have stopped; the job is failed when the heartbeat timeout passes)");
}
