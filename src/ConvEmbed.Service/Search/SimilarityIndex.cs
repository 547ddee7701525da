using System.Globalization;
using System.Text;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Search;

/// <summary>
/// pgvector queries over <c>embeddings</c>. Each model has its own HNSW index on <c>embedding::vector(D)</c>, partial
/// on its id (<see cref="Models.VectorIndex"/>); queries name the model id and dimension as literals (both come from the models table, never from a
/// request) so the planner can match the partial index. Filters use pgvector 0.8's iterative index scans
/// (<c>hnsw.iterative_scan = relaxed_order</c>), so a selective filter still returns k rows when k exist; the final
/// order is restored by sorting the materialised candidates.
/// </summary>
public sealed class SimilarityIndex(NpgsqlDataSource dataSource)
{
    /// <summary>The k nearest tracks to a stored track (itself excluded); null when the track has no vector in this model.</summary>
    public Task<IReadOnlyList<Neighbour>?> SimilarToTrackAsync(Guid trackId, long modelId, int dimension, int k, SearchFilter filter, CancellationToken ct) =>
        QueryAsync($"(SELECT embedding::vector({dimension}) FROM embeddings WHERE model_id = {modelId} AND track_id = $1)",
            trackId, null, modelId, dimension, k, filter, exact: false, ct);

    /// <summary>The k nearest tracks to a vector; <paramref name="exact"/> scans every vector (ground truth for recall).</summary>
    public async Task<IReadOnlyList<Neighbour>> NearestAsync(float[] vector, long modelId, int dimension, int k, SearchFilter filter, bool exact, CancellationToken ct) =>
        (await QueryAsync($"($2::vector({dimension}))", null, new Vector(vector), modelId, dimension, k, filter, exact, ct))!;

    private async Task<IReadOnlyList<Neighbour>?> QueryAsync(string query, Guid? exclude, Vector? vector, long modelId, int dimension,
        int k, SearchFilter filter, bool exact, CancellationToken ct)
    {
        var where = new StringBuilder($"e.model_id = {modelId} AND e.track_id IS DISTINCT FROM $1");
        if (!string.IsNullOrWhiteSpace(filter.Artist)) where.Append(" AND lower(t.artist) = lower($3)");
        if (!string.IsNullOrWhiteSpace(filter.Tag)) where.Append(" AND t.tags @> ARRAY[$4]::text[]");
        var join = filter.IsEmpty ? "" : "JOIN tracks t ON t.id = e.track_id";
        var distance = $"e.embedding::vector({dimension}) <=> {query}";
        var sql = $"""
            WITH nearest AS MATERIALIZED (
                SELECT e.track_id, {distance} AS distance
                FROM embeddings e {join}
                WHERE {where}
                ORDER BY {distance}
                LIMIT {k})
            SELECT n.track_id, t.title, t.artist, 1 - n.distance
            FROM nearest n JOIN tracks t ON t.id = n.track_id
            WHERE n.distance IS NOT NULL
            ORDER BY n.distance, n.track_id
            """;
        var ef = Math.Max(Models.VectorIndex.MinEfSearch, 2 * k).ToString(CultureInfo.InvariantCulture);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (exclude is not null)
        {
            await using var has = new NpgsqlCommand($"SELECT 1 FROM embeddings WHERE model_id = {modelId} AND track_id = $1", connection, tx);
            has.Parameters.Add(new NpgsqlParameter { Value = exclude.Value });
            if (await has.ExecuteScalarAsync(ct) is null) return null;
        }
        var settings = exact
            ? "SET LOCAL enable_indexscan = off"
            : $"SET LOCAL hnsw.ef_search = {ef}; SET LOCAL hnsw.iterative_scan = relaxed_order";
        await using (var set = new NpgsqlCommand(settings, connection, tx)) await set.ExecuteNonQueryAsync(ct);

        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)exclude ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)vector ?? DBNull.Value, DataTypeName = "vector" });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Artist?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Tag?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var result = new List<Neighbour>(k);
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                result.Add(new Neighbour(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    Math.Round(reader.GetDouble(3), 6)));
        await tx.CommitAsync(ct);
        return result;
    }
}
