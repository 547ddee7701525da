using ConvEmbed.Model.Mapping;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace ConvEmbed.Service.Map;

/// <summary>SQL for <c>map_layouts</c> and <c>map_points</c>: the cached 2-D layout of each model's vectors.</summary>
public sealed class MapStore(NpgsqlDataSource dataSource)
{
    /// <summary>How complete a model's map is: tracks with a vector of it, those of them on the map, and the layout row
    /// (<paramref name="LaidOut"/>: how many tracks its last full layout placed).</summary>
    public sealed record Coverage(long Tracks, long Placed, string? State, DateTimeOffset? ComputedAt, double? Seconds, long? LaidOut = null);

    public async Task<Coverage> GetCoverageAsync(long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM embeddings WHERE model_id = $1),
                   (SELECT count(*) FROM embeddings e JOIN map_points p ON p.model_id = e.model_id AND p.track_id = e.track_id WHERE e.model_id = $1),
                   l.state, l.computed_at, l.seconds, l.placed
            FROM (SELECT 1) AS one LEFT JOIN map_layouts l ON l.model_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Coverage(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetDouble(4),
            reader.IsDBNull(5) ? null : reader.GetInt32(5));
    }

    /// <summary><c>map_version</c>: moves whenever any map's points or a shown track field change (triggers).</summary>
    public async Task<long> GetVersionAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM map_version");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<MapTrackPoint>> GetPointsAsync(long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, p.x, p.y, t.title, t.artist, t.tags FROM map_points p JOIN tracks t ON t.id = p.track_id
            WHERE p.model_id = $1 ORDER BY t.created_at, t.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var points = new List<MapTrackPoint>();
        while (await reader.ReadAsync(ct))
            points.Add(new MapTrackPoint(reader.GetGuid(0), reader.GetFloat(1), reader.GetFloat(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<string[]>(5)));
        return points;
    }

    /// <summary>Marks the model's layout as being computed (the map page says so).</summary>
    public async Task BeginAsync(long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO map_layouts (model_id, state) VALUES ($1, 'computing')
            ON CONFLICT (model_id) DO UPDATE SET state = 'computing', started_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every vector of the model with its track's point on the map (null for a track not placed yet), in a stable order.</summary>
    public async Task<(Guid[] Tracks, List<float[]> Embeddings, MapPoint?[] Points)> ReadEmbeddingsAsync(long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT e.track_id, e.embedding, p.x, p.y FROM embeddings e
            LEFT JOIN map_points p ON p.model_id = e.model_id AND p.track_id = e.track_id
            WHERE e.model_id = $1 ORDER BY e.track_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (ids, vectors, points) = (new List<Guid>(), new List<float[]>(), new List<MapPoint?>());
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
            vectors.Add(reader.GetFieldValue<Vector>(1).ToArray());
            points.Add(reader.IsDBNull(2) ? null : new MapPoint(reader.GetFloat(2), reader.GetFloat(3)));
        }
        return (ids.ToArray(), vectors, points.ToArray());
    }

    /// <summary>The vectors of the model's tracks that are not on its map yet (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<(Guid Track, float[] Embedding)>> ReadUnplacedAsync(long modelId, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT e.track_id, e.embedding FROM embeddings e
            WHERE e.model_id = $1 AND NOT EXISTS (SELECT 1 FROM map_points p WHERE p.model_id = e.model_id AND p.track_id = e.track_id)
            ORDER BY e.track_id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<(Guid, float[])>();
        while (await reader.ReadAsync(ct)) result.Add((reader.GetGuid(0), reader.GetFieldValue<Vector>(1).ToArray()));
        return result;
    }

    /// <summary>
    /// The <paramref name="k"/> tracks on the map most similar to a vector, with their similarity and point — through
    /// the model's HNSW index (iterative scan, so tracks not on the map yet are skipped and k still come back).
    /// </summary>
    public async Task<IReadOnlyList<(double Similarity, MapPoint Point)>> NearestPlacedAsync(long modelId, int dimension, float[] vector, int k,
        CancellationToken ct)
    {
        var distance = $"e.embedding::vector({dimension}) <=> $1::vector({dimension})";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var set = new NpgsqlCommand($"SET LOCAL hnsw.ef_search = {Models.VectorIndex.MinEfSearch}; SET LOCAL hnsw.iterative_scan = relaxed_order", connection, tx))
            await set.ExecuteNonQueryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            WITH nearest AS MATERIALIZED (
                SELECT e.track_id, {distance} AS distance FROM embeddings e
                WHERE e.model_id = {modelId}
                  AND EXISTS (SELECT 1 FROM map_points p WHERE p.model_id = e.model_id AND p.track_id = e.track_id)
                ORDER BY {distance} LIMIT {k})
            SELECT 1 - n.distance, p.x, p.y FROM nearest n JOIN map_points p ON p.model_id = {modelId} AND p.track_id = n.track_id
            WHERE n.distance IS NOT NULL
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(vector), DataTypeName = "vector" });
        var result = new List<(double, MapPoint)>(k);
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                result.Add((reader.GetDouble(0), new MapPoint(reader.GetFloat(1), reader.GetFloat(2))));
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Adds points for tracks that are not on the map yet (tracks deleted meanwhile are left out); the layout's
    /// own record (when, how long, how many it laid out) stays as it is. Returns how many were added.</summary>
    public async Task<int> PlaceAsync(long modelId, IReadOnlyList<Guid> tracks, IReadOnlyList<MapPoint> points, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO map_points (model_id, track_id, x, y)
            SELECT $1, n.track_id, n.x, n.y FROM unnest($2::uuid[], $3::real[], $4::real[]) AS n(track_id, x, y)
            JOIN tracks t ON t.id = n.track_id
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        command.Parameters.Add(new NpgsqlParameter { Value = tracks.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.X).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.Y).ToArray() });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replaces the model's points in one transaction (tracks deleted meanwhile are left out); returns how many were placed.</summary>
    public async Task<int> SaveAsync(long modelId, Guid[] tracks, MapPoint[] points, double seconds, double kl, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var temp = new NpgsqlCommand("CREATE TEMP TABLE map_new (track_id uuid, x real, y real) ON COMMIT DROP", connection, tx))
            await temp.ExecuteNonQueryAsync(ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY map_new (track_id, x, y) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < tracks.Length; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(tracks[i], NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(points[i].X, NpgsqlDbType.Real, ct);
                await copy.WriteAsync(points[i].Y, NpgsqlDbType.Real, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM map_points WHERE model_id = $1", connection, tx))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = modelId });
            await delete.ExecuteNonQueryAsync(ct);
        }
        int placed;
        await using (var insert = new NpgsqlCommand(
                         "INSERT INTO map_points (model_id, track_id, x, y) SELECT $1, n.track_id, n.x, n.y FROM map_new n JOIN tracks t ON t.id = n.track_id",
                         connection, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = modelId });
            placed = await insert.ExecuteNonQueryAsync(ct);
        }
        await using (var done = new NpgsqlCommand(
                         "UPDATE map_layouts SET state = 'ready', placed = $2, seconds = $3, kl = $4, computed_at = now() WHERE model_id = $1", connection, tx))
        {
            done.Parameters.Add(new NpgsqlParameter { Value = modelId });
            done.Parameters.Add(new NpgsqlParameter { Value = placed });
            done.Parameters.Add(new NpgsqlParameter { Value = seconds });
            done.Parameters.Add(new NpgsqlParameter { Value = double.IsFinite(kl) ? kl : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
            await done.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return placed;
    }

    /// <summary>Ends a layout that failed or was stopped: the old points stay, the state says ready again.</summary>
    public async Task AbandonAsync(long modelId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE map_layouts SET state = 'ready' WHERE model_id = $1 AND state = 'computing'");
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        await command.ExecuteNonQueryAsync(ct);
    }
}
