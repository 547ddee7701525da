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
    private const string Columns = "id, kind, state, settings::text, progress::text, model_id, error, cancel_requested, claimed_by, created_at, started_at, finished_at";

    /// <summary>Queues a job; null when another job is open (the unique index decided).</summary>
    public async Task<TrainingJob?> EnqueueAsync(string kind, TrainingSettings? settings, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO training_jobs (kind, settings, model_id) VALUES ($1, $2::jsonb, $3) ON CONFLICT DO NOTHING RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
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
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM training_jobs WHERE state IN ('queued', 'running', 'reembedding')");
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

    /// <summary>Takes the oldest queued job for <paramref name="worker"/>, or null; another instance's claim is skipped, not waited for.</summary>
    public async Task<TrainingJob?> ClaimAsync(string worker, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET state = 'running', claimed_by = $1, heartbeat = now(), started_at = now()
            WHERE id = (SELECT id FROM training_jobs WHERE state = 'queued' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Writes progress and the heartbeat of a claimed job; returns whether a cancel was requested.</summary>
    public async Task<bool> ReportAsync(long id, string worker, string state, TrainingJobProgress progress, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE training_jobs SET state = $3, progress = $4::jsonb, model_id = coalesce($5, model_id), heartbeat = now()
            WHERE id = $1 AND claimed_by = $2 AND state IN ('running', 'reembedding')
            RETURNING cancel_requested
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = state });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(progress, Json) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)modelId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        // A job that is no longer ours (failed as stale by another instance) is treated as cancelled here.
        return await command.ExecuteScalarAsync(ct) is not false;
    }

    /// <summary>Ends a job: succeeded, failed (with the reason) or cancelled.</summary>
    public async Task FinishAsync(long id, string state, string? error, long? modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE training_jobs SET state = $2, error = $3, model_id = coalesce($4, model_id), finished_at = now()
            WHERE id = $1 AND state IN ('queued', 'running', 'reembedding')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = state });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)modelId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A queued job is cancelled at once; a running one is asked to stop (its worker ends it at the next step).</summary>
    public async Task<TrainingJob?> CancelAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE training_jobs SET
                state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
                finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
                cancel_requested = true
            WHERE id = $1 AND state IN ('queued', 'running', 'reembedding')
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Running jobs whose worker stopped reporting (its service was killed): failed, with their half-made model id.</summary>
    public async Task<IReadOnlyList<(long Job, long? Model)>> FailStaleAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE training_jobs SET state = 'failed', finished_at = now(),
                error = 'interrupted by a restart: the service running it stopped (no heartbeat since ' || to_char(heartbeat, 'YYYY-MM-DD HH24:MI:SS TZ') || ')'
            WHERE state IN ('running', 'reembedding') AND heartbeat < now() - make_interval(secs => $1)
            RETURNING id, model_id, kind
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = timeout.TotalSeconds });
        var failed = new List<(long, long?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            failed.Add((reader.GetInt64(0), reader.GetString(2) == "train" && !reader.IsDBNull(1) ? reader.GetInt64(1) : null));
        return failed;
    }

    private static async Task<TrainingJob?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static TrainingJob Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2),
        JsonSerializer.Deserialize<TrainingSettings>(r.GetString(3), Json),
        JsonSerializer.Deserialize<TrainingJobProgress>(r.GetString(4), Json) ?? TrainingJobProgress.None,
        r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetBoolean(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11));
}
