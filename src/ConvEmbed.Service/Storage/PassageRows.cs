using ConvEmbed.Model.Passages;
using Npgsql;
using Pgvector;

namespace ConvEmbed.Service.Storage;

/// <summary>Writing rows of <c>passages</c> (inside the caller's transaction: a track's passages commit with its vector),
/// and the half-precision form they are stored in. Uploads, library indexing and re-embedding write through here.</summary>
public static class PassageRows
{
    /// <summary>Inserts passages of these tracks for <paramref name="modelId"/>; tracks deleted meanwhile are skipped,
    /// passages already there are kept.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long modelId,
        IReadOnlyList<(Guid TrackId, IReadOnlyList<Passage> Passages)> tracks, CancellationToken ct)
    {
        var count = tracks.Sum(t => t.Passages.Count);
        if (count == 0) return;
        var ids = new Guid[count];
        var seqs = new int[count];
        var starts = new float[count];
        var ends = new float[count];
        var vectors = new HalfVector[count];
        var n = 0;
        foreach (var (trackId, passages) in tracks)
            foreach (var p in passages)
            {
                ids[n] = trackId;
                seqs[n] = p.Index;
                starts[n] = (float)p.StartSeconds;
                ends[n] = (float)p.EndSeconds;
                vectors[n++] = Half(p.Vector);
            }
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO passages (model_id, track_id, seq, start_seconds, end_seconds, embedding)
            SELECT {modelId}, p.id, p.seq, p.start_seconds, p.end_seconds, p.embedding
            FROM unnest($1::uuid[], $2::int[], $3::real[], $4::real[], $5::halfvec[]) AS p(id, seq, start_seconds, end_seconds, embedding)
            JOIN tracks t ON t.id = p.id
            ON CONFLICT DO NOTHING
            """, connection, tx);
        insert.Parameters.Add(new NpgsqlParameter { Value = ids });
        insert.Parameters.Add(new NpgsqlParameter { Value = seqs });
        insert.Parameters.Add(new NpgsqlParameter { Value = starts });
        insert.Parameters.Add(new NpgsqlParameter { Value = ends });
        insert.Parameters.Add(new NpgsqlParameter { Value = vectors, DataTypeName = "halfvec[]" });
        await insert.ExecuteNonQueryAsync(ct);
    }

    public static HalfVector Half(float[] vector)
    {
        var half = new Half[vector.Length];
        for (var i = 0; i < half.Length; i++) half[i] = (Half)vector[i];
        return new HalfVector(half);
    }

    public static float[] Single(HalfVector vector)
    {
        var half = vector.ToArray();
        var result = new float[half.Length];
        for (var i = 0; i < result.Length; i++) result[i] = (float)half[i];
        return result;
    }

}
