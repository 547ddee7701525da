using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Training;

/// <summary>
/// Gives every track a vector of a model (and, with a passage plan, its passages): takes the tracks that lack either,
/// in batches, reads their log-mel from the feature cache (or decodes the stored original again if the cache lost it),
/// embeds (one pass gives both) and inserts — until none is missing, so tracks uploaded meanwhile are included.
/// </summary>
public sealed class Reembedder(NpgsqlDataSource dataSource, TrackFeatures features)
{
    private const int BatchSize = 32;

    /// <summary>Embeds the missing tracks; <paramref name="afterBatch"/> gets the count so far and may stop the work by cancelling.
    /// With <paramref name="connection"/> and <paramref name="tx"/> it works inside that transaction. With
    /// <paramref name="onlyWhileActive"/> each batch is written only while <paramref name="modelId"/> is the active model
    /// (the work stops quietly after a switch, which may have dropped that model's vectors).</summary>
    public async Task<long> EmbedMissingAsync(long modelId, IEmbeddingModel model, PassagePlan? passages, Func<long, Task>? afterBatch, CancellationToken ct,
        NpgsqlConnection? connection = null, NpgsqlTransaction? tx = null, bool onlyWhileActive = false)
    {
        var own = connection is null ? await dataSource.OpenConnectionAsync(ct) : null;
        var conn = connection ?? own!;
        var unreadable = new HashSet<Guid>();
        // One pass in id order: a track that could not be read or yielded no passage is passed by, not asked for again
        // (an exclusion list grew with them and made a library of unreadable tracks quadratic).
        Guid? after = null;
        var missingPassages = passages is null ? "" : $" OR NOT EXISTS (SELECT 1 FROM passages p WHERE p.model_id = {modelId} AND p.track_id = t.id)";
        long done = 0;
        try
        {
            while (true)
            {
                var batch = new List<(Guid Id, string Sha256, string? Path)>();
                await using (var select = new NpgsqlCommand($"""
                    SELECT t.id, t.sha256, t.path FROM tracks t
                    WHERE (NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = {modelId} AND e.track_id = t.id){missingPassages})
                      AND ($1::uuid IS NULL OR t.id > $1)
                    ORDER BY t.id LIMIT {BatchSize}
                    """, conn, tx))
                {
                    select.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                    await using var reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) batch.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
                if (batch.Count == 0) break;
                after = batch[^1].Id;

                var ids = new List<Guid>();
                var vectors = new List<Vector>();
                var passageRows = new List<(Guid, IReadOnlyList<Passage>)>();
                foreach (var (id, sha256, path) in batch)
                {
                    var mel = await ReadMelAsync(sha256, path, ct);
                    if (mel is null) { unreadable.Add(id); continue; }
                    var embedded = passages is null ? TrackVectors.TrackOnly(model.Embed(mel)) : model.EmbedWithPassages(mel, passages);
                    ids.Add(id);
                    vectors.Add(new Vector(embedded.Track));
                    passageRows.Add((id, embedded.Passages));
                }

                var batchTx = tx ?? await conn.BeginTransactionAsync(ct);
                try
                {
                    if (onlyWhileActive && await ModelStore.LockActiveAsync(conn, batchTx, ct) != modelId) break;
                    // Tracks deleted meanwhile are skipped by the join rather than failing the batch.
                    await using (var insert = new NpgsqlCommand($"""
                        INSERT INTO embeddings (model_id, track_id, embedding)
                        SELECT {modelId}, v.id, v.embedding FROM unnest($1::uuid[], $2::vector[]) AS v(id, embedding) JOIN tracks t ON t.id = v.id
                        ON CONFLICT DO NOTHING
                        """, conn, batchTx))
                    {
                        insert.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
                        insert.Parameters.Add(new NpgsqlParameter { Value = vectors.ToArray(), DataTypeName = "vector[]" });
                        await insert.ExecuteNonQueryAsync(ct);
                    }
                    await PassageRows.InsertAsync(conn, batchTx, modelId, passageRows, ct);
                    if (tx is null) await batchTx.CommitAsync(ct);
                }
                finally
                {
                    if (tx is null) await batchTx.DisposeAsync();
                }
                done += ids.Count;
                if (afterBatch is not null) await afterBatch(done);
                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
        if (unreadable.Count > 0)
            throw new InvalidDataException($"{unreadable.Count} track(s) could not be read (neither cached features nor stored audio that decodes), e.g. {unreadable.First()}.");
        return done;
    }

    /// <summary>The track's log-mel, or null when neither the cache nor a readable original has it (reported at the end).</summary>
    private async Task<LogMel?> ReadMelAsync(string sha256, string? path, CancellationToken ct)
    {
        try
        {
            using var entry = await features.OpenAsync(sha256, path, ct);
            return entry?.ReadAll();
        }
        catch (AudioException)
        {
            return null;
        }
    }
}
