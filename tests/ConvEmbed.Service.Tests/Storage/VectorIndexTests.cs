using Npgsql;

namespace ConvEmbed.Service.Tests.Storage;

/// <summary>pgvector on the real test database: version, float[] parameters with ::vector casts, HNSW cosine search.</summary>
public sealed class VectorIndexTests
{
    private const int Dim = 256;

    [Fact]
    public async Task VectorExtensionIsInstalledAtLeast080()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection);
        var version = (string?)await command.ExecuteScalarAsync();
        Assert.NotNull(version);
        Assert.True(Version.Parse(version) >= new Version(0, 8, 0), $"vector {version} is older than 0.8.0");
    }

    [Fact]
    public async Task HnswCosineIndexReturnsNeighboursInExactOrder()
    {
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 300).Select(_ => RandomVector(rng)).ToArray();
        var query = RandomVector(rng);
        var table = $"vec_test_{Guid.NewGuid():N}";

        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        try
        {
            await Execute(connection, $"CREATE TABLE {table} (id int PRIMARY KEY, embedding vector({Dim}) NOT NULL)");
            await using (var batch = new NpgsqlBatch(connection))
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var insert = new NpgsqlBatchCommand($"INSERT INTO {table} (id, embedding) VALUES ($1, $2::vector)");
                    insert.Parameters.Add(new NpgsqlParameter { Value = i });
                    insert.Parameters.Add(new NpgsqlParameter { Value = rows[i] });
                    batch.BatchCommands.Add(insert);
                }
                await batch.ExecuteNonQueryAsync();
            }
            await Execute(connection, "SET max_parallel_maintenance_workers = 0");
            await Execute(connection, $"CREATE INDEX ON {table} USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 200)");

            await using var tx = await connection.BeginTransactionAsync();
            await Execute(connection, "SET LOCAL enable_seqscan = off; SET LOCAL hnsw.ef_search = 200");
            var plan = await Scalar(connection, $"EXPLAIN SELECT id FROM {table} ORDER BY embedding <=> $1::vector LIMIT 10", query);
            Assert.Contains("Index Scan", plan); // the HNSW index answers, not a sort over a sequential scan

            var found = new List<(int Id, double Distance)>();
            await using (var search = new NpgsqlCommand($"SELECT id, embedding <=> $1::vector FROM {table} ORDER BY embedding <=> $1::vector LIMIT 10", connection))
            {
                search.Parameters.Add(new NpgsqlParameter { Value = query });
                await using var reader = await search.ExecuteReaderAsync();
                while (await reader.ReadAsync()) found.Add((reader.GetInt32(0), reader.GetDouble(1)));
            }

            var exact = rows.Select((v, i) => (Id: i, Distance: 1 - Cosine(v, query))).OrderBy(x => x.Distance).Take(10).ToArray();
            Assert.Equal(exact.Select(x => x.Id), found.Select(x => x.Id));
            for (var i = 0; i < exact.Length; i++) Assert.Equal(exact[i].Distance, found[i].Distance, 4);
        }
        finally
        {
            await Execute(connection, $"DROP TABLE IF EXISTS {table}");
        }
    }

    private static float[] RandomVector(Random rng) => Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> Scalar(NpgsqlConnection connection, string sql, float[] parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }
}
