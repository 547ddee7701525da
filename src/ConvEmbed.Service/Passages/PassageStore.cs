using System.Globalization;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Passages;

/// <summary>SQL for <c>passages</c>: writing a track's passages (inside the caller's transaction), the index's
/// candidates for a clip's passages, and reading stored passages back. Nothing here knows about HTTP.</summary>
public sealed class PassageStore(NpgsqlDataSource dataSource)
{
    /// <summary>A stored passage found near a clip passage: clip passage <paramref name="Query"/> (0-based) matched passage
    /// <paramref name="Seq"/> of the track.</summary>
    public readonly record struct Candidate(int Query, Guid TrackId, int Seq, double Similarity);

    /// <summary>Index scans of one search that run at once, each on its own connection: one per core, at most four.</summary>
    private static readonly int ScanConnections = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// For each clip passage, the <paramref name="perQuery"/> nearest indexed stored passages of the model (those that tile
    /// a track, <see cref="PassageIndex.Indexed"/>) by its HNSW index. The clip passages are split over up to one
    /// connection per core (at most four), each answering its share in one round trip (a lateral join runs one index scan
    /// per clip passage), so a search's scans use the cores PostgreSQL has rather than one backend.
    /// <paramref name="excludeTrack"/> leaves one track's passages out (inside the scan, so perQuery still come back).
    /// </summary>
    public async Task<List<Candidate>> CandidatesAsync(ActiveModel model, IReadOnlyList<float[]> queries, int perQuery, Guid? excludeTrack, CancellationToken ct)
    {
        var parts = Math.Min(ScanConnections, queries.Count);
        if (parts <= 1) return await CandidatesOnOneConnectionAsync(model, queries, perQuery, excludeTrack, ct);
        // Query i goes to part i % parts; each part's answers name their query by its place in the part.
        var shares = await Task.WhenAll(Enumerable.Range(0, parts).Select(part =>
            CandidatesOnOneConnectionAsync(model, queries.Where((_, i) => i % parts == part).ToList(), perQuery, excludeTrack, ct)));
        return shares.SelectMany((share, part) => share.Select(c => c with { Query = c.Query * parts + part })).ToList();
    }

    private async Task<List<Candidate>> CandidatesOnOneConnectionAsync(ActiveModel model, IReadOnlyList<float[]> queries, int perQuery, Guid? excludeTrack,
        CancellationToken ct)
    {
        var d = model.Dimension;
        var distance = $"p.embedding::halfvec({d}) <=> q.v::halfvec({d})";
        var sql = $"""
            SELECT q.i::int - 1, c.track_id, c.seq, 1 - c.distance
            FROM unnest($1::halfvec[]) WITH ORDINALITY AS q(v, i)
            CROSS JOIN LATERAL (
                SELECT p.track_id, p.seq, {distance} AS distance
                FROM passages p
                WHERE p.model_id = {model.Id} AND {PassageIndex.Indexed(model.Passages!, "p")} AND p.track_id IS DISTINCT FROM $2
                ORDER BY {distance}
                LIMIT {perQuery}) c
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ef = Math.Max(VectorIndex.MinEfSearch, perQuery).ToString(CultureInfo.InvariantCulture);
        // No JIT: compiling the plan would cost more than running it.
        await using (var set = new NpgsqlCommand($"SET LOCAL hnsw.ef_search = {ef}; SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL jit = off", connection, tx))
            await set.ExecuteNonQueryAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = queries.Select(PassageRows.Half).ToArray(), DataTypeName = "halfvec[]" });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)excludeTrack ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        var result = new List<Candidate>(queries.Count * perQuery);
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                result.Add(new Candidate(reader.GetInt32(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetDouble(3)));
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>The stored passages <c>From..To</c> (by seq, inclusive) of each track in this model, indexed by seq (null
    /// where there is none), as float vectors.</summary>
    public async Task<Dictionary<Guid, float[]?[]>> ReadRangesAsync(long modelId, IReadOnlyCollection<(Guid TrackId, int From, int To)> ranges,
        CancellationToken ct)
    {
        // One primary-key range scan per track: OFFSET 0 keeps the lateral subquery from being flattened into a hash join
        // over the whole table.
        await using var command = dataSource.CreateCommand($"""
            SELECT r.track_id, x.seq, x.embedding
            FROM unnest($1::uuid[], $2::int[], $3::int[]) AS r(track_id, lo, hi)
            CROSS JOIN LATERAL (SELECT p.seq, p.embedding FROM passages p
                                WHERE p.model_id = {modelId} AND p.track_id = r.track_id AND p.seq BETWEEN r.lo AND r.hi OFFSET 0) x
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ranges.Select(r => r.TrackId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ranges.Select(r => Math.Max(0, r.From)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ranges.Select(r => r.To).ToArray() });
        var rows = new Dictionary<Guid, List<(int Seq, float[] Vector)>>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var track = reader.GetGuid(0);
                if (!rows.TryGetValue(track, out var list)) rows[track] = list = [];
                list.Add((reader.GetInt32(1), PassageRows.Single(reader.GetFieldValue<HalfVector>(2))));
            }
        return rows.ToDictionary(r => r.Key, r =>
        {
            var ordered = new float[]?[r.Value.Max(x => x.Seq) + 1];
            foreach (var (seq, vector) in r.Value) ordered[seq] = vector;
            return ordered;
        });
    }

    /// <summary>Every stored passage of a track in this model, in order (empty when it has none).</summary>
    public async Task<List<Passage>> ReadTrackAsync(long modelId, Guid trackId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT seq, start_seconds, end_seconds, embedding FROM passages WHERE model_id = {modelId} AND track_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        var result = new List<Passage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(new Passage(reader.GetInt32(0), reader.GetFloat(1), reader.GetFloat(2), PassageRows.Single(reader.GetFieldValue<HalfVector>(3))));
        return result;
    }

    /// <summary>Title, artist and duration of these tracks (deleted ones are left out).</summary>
    public async Task<Dictionary<Guid, (string Title, string? Artist, double Duration)>> TracksAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT id, title, artist, duration_seconds FROM tracks WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var result = new Dictionary<Guid, (string, string?, double)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetGuid(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDouble(3));
        return result;
    }
}
