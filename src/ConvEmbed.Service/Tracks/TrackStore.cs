using System.Text;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Tracks;

/// <summary>SQL for <c>tracks</c> and their vectors. Nothing here knows about HTTP or files.</summary>
public sealed class TrackStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, sha256, title, artist, album, tags, duration_seconds, content_type, size_bytes, created_at, path";

    public async Task<Track?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tracks WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(command, ct);
    }

    public async Task<Track?> GetBySha256Async(string sha256, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tracks WHERE sha256 = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>The library track read from <paramref name="path"/>, or null.</summary>
    public async Task<Track?> GetByPathAsync(string path, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tracks WHERE path = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        return await ReadOneAsync(command, ct);
    }

    /// <summary>These tracks with their vector of <paramref name="modelId"/> (tracks without one are left out).</summary>
    public async Task<Dictionary<Guid, (Track Track, float[] Vector)>> GetWithVectorsAsync(IReadOnlyCollection<Guid> ids, long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "t." + c))}, e.embedding
            FROM tracks t JOIN embeddings e ON e.track_id = t.id AND e.model_id = $2 WHERE t.id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        var result = new Dictionary<Guid, (Track, float[])>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var track = Read(reader);
            result[track.Id] = (track, reader.GetFieldValue<Vector>(11).ToArray());
        }
        return result;
    }

    public async Task<float[]?> GetEmbeddingAsync(Guid trackId, long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT embedding FROM embeddings WHERE track_id = $1 AND model_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        return await command.ExecuteScalarAsync(ct) is Vector v ? v.ToArray() : null;
    }

    /// <summary>
    /// Stores a vector a track lacked, while <paramref name="modelId"/> is still the active model (the active model's row
    /// is locked as in <see cref="AddAsync"/>, so a switch cannot drop that model's vectors between the check and the
    /// insert), unless one is there already (the passage backfill may have written it from the cached log-mel
    /// meanwhile), and returns the vector that is stored, so an answer never differs from what a later read gives.
    /// When the model is no longer active nothing is stored and the given vector comes back.
    /// </summary>
    public async Task<float[]> AddEmbeddingAsync(Guid trackId, long modelId, float[] embedding, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ModelStore.LockActiveAsync(connection, tx, ct) != modelId) return embedding;
        await using (var command = new NpgsqlCommand(
            "INSERT INTO embeddings (model_id, track_id, embedding) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = modelId });
            command.Parameters.Add(new NpgsqlParameter { Value = trackId });
            command.Parameters.Add(new NpgsqlParameter { Value = new Vector(embedding) });
            if (await command.ExecuteNonQueryAsync(ct) == 1)
            {
                await tx.CommitAsync(ct);
                return embedding;
            }
        }
        // A new statement sees the row that won (read committed).
        await using var stored = new NpgsqlCommand("SELECT embedding FROM embeddings WHERE model_id = $1 AND track_id = $2", connection, tx);
        stored.Parameters.Add(new NpgsqlParameter { Value = modelId });
        stored.Parameters.Add(new NpgsqlParameter { Value = trackId });
        var vector = await stored.ExecuteScalarAsync(ct) as Vector;
        await tx.CommitAsync(ct);
        return vector?.ToArray() ?? embedding;
    }

    /// <summary>Points a library track at the file it is read from now (it was moved or renamed: same bytes, same track).</summary>
    public async Task MoveAsync(Guid id, string path, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE tracks SET path = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The SHA-256 and library path of every track, oldest first (what a training job reads features by).</summary>
    public async Task<List<(string Sha256, string? Path)>> ListOriginalsAsync(CancellationToken ct)
    {
        var originals = new List<(string, string?)>();
        await using var command = dataSource.CreateCommand("SELECT sha256, path FROM tracks ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) originals.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return originals;
    }

    public async Task<TrackPage> ListAsync(TrackQuery query, CancellationToken ct)
    {
        var where = new StringBuilder("true");
        if (!string.IsNullOrWhiteSpace(query.Artist)) where.Append(" AND lower(artist) = lower($1)");
        if (!string.IsNullOrWhiteSpace(query.Tag)) where.Append(" AND tags @> ARRAY[$2]::text[]");
        if (!string.IsNullOrWhiteSpace(query.Title)) where.Append(" AND title ILIKE '%' || $3 || '%'");
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Filtered($"SELECT count(*) FROM tracks WHERE {where}", query));
        batch.BatchCommands.Add(Filtered(
            $"SELECT {Columns} FROM tracks WHERE {where} ORDER BY created_at, id LIMIT {query.PageSize} OFFSET {(long)(query.Page - 1) * query.PageSize}", query));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var items = new List<Track>();
        while (await reader.ReadAsync(ct)) items.Add(Read(reader));
        return new TrackPage(items, total, query.Page, query.PageSize);
    }

    private static NpgsqlBatchCommand Filtered(string sql, TrackQuery query)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(Text(query.Artist?.Trim()));
        command.Parameters.Add(Text(query.Tag?.Trim()));
        command.Parameters.Add(Text(query.Title is null ? null : EscapeLike(query.Title.Trim())));
        return command;
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    /// <summary>
    /// Inserts the track, its vector and its passages in one transaction and returns the stored row, whose <see cref="Track.CreatedAt"/>
    /// is the database's clock (one clock for every instance; the value passed in is not stored). The unique SHA-256
    /// decides between concurrent uploads of the same bytes: the loser gets <c>null</c> and changes nothing. <paramref name="publish"/> runs while this
    /// transaction holds the row (so no other upload of these bytes can run it too); when it or the commit fails,
    /// <paramref name="unpublish"/> runs before the row is released.
    /// </summary>
    public async Task<Track?> AddAsync(Track track, string? fileName, long modelId, TrackVectors vectors, Func<CancellationToken, Task> publish,
        Action unpublish, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO tracks (id, sha256, title, artist, album, tags, duration_seconds, content_type, file_name, size_bytes, path)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (sha256) DO NOTHING
            RETURNING {Columns}
            """, connection, tx);
        foreach (var value in new object?[] { track.Id, track.Sha256, track.Title, track.Artist, track.Album, track.Tags.ToArray(),
                     track.DurationSeconds, track.ContentType, fileName, track.SizeBytes, track.Path })
            insert.Parameters.Add(value is null ? Text(null) : new NpgsqlParameter { Value = value });
        var inserted = await ReadOneAsync(insert, ct);
        if (inserted is null) return null; // the same bytes are stored already (or were, a moment ago)

        // The vector must be of the model that is active when this commits: a switch in between (it waits for this
        // transaction, holding the model row) would otherwise leave the track without a vector of the new model.
        if (await ModelStore.LockActiveAsync(connection, tx, ct) is { } activeId && activeId != modelId)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new ActiveModelChangedException(modelId, activeId);
        }

        try
        {
            await publish(ct);
            await using var vector = new NpgsqlCommand("INSERT INTO embeddings (model_id, track_id, embedding) VALUES ($1, $2, $3)", connection, tx);
            vector.Parameters.Add(new NpgsqlParameter { Value = modelId });
            vector.Parameters.Add(new NpgsqlParameter { Value = track.Id });
            vector.Parameters.Add(new NpgsqlParameter { Value = new Vector(vectors.Track) });
            await vector.ExecuteNonQueryAsync(ct);
            await PassageRows.InsertAsync(connection, tx, modelId, [(track.Id, vectors.Passages)], ct);
            await tx.CommitAsync(ct);
            return inserted;
        }
        catch
        {
            unpublish(); // also after a half-done publish, which may have written one of its files
            await tx.RollbackAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Deletes the track (its vectors and passages go by cascade). <paramref name="removeFiles"/> runs while the row is
    /// locked, before the commit, so a concurrent upload of the same bytes cannot have published its files yet.</summary>
    public async Task<bool> DeleteAsync(Guid id, Action<string> removeFiles, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var delete = new NpgsqlCommand("DELETE FROM tracks WHERE id = $1 RETURNING sha256", connection, tx);
        delete.Parameters.Add(new NpgsqlParameter { Value = id });
        if (await delete.ExecuteScalarAsync(ct) is not string sha256) return false;
        removeFiles(sha256);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<long> CountAddedSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tracks WHERE created_at > $1");
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tracks");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Track?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static Track Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.GetFieldValue<string[]>(5), r.GetDouble(6), r.GetString(7), r.GetInt64(8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetString(10));
}
