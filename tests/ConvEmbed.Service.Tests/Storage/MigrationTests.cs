using ConvEmbed.Service.Models;
using ConvEmbed.Service.Search;
using ConvEmbed.Service.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConvEmbed.Service.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task TwoInstancesStartingTogetherMigrateOnceAndShareOneActiveBootstrapModel()
    {
        await using var first = new ConvEmbedApiFactory();
        // A second host on the same schema (the first factory's connection string), started at the same moment.
        await using var second = new SameDatabaseFactory(first.ConnectionString);
        await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));

        await using var connection = new NpgsqlConnection(first.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(Migrator.Scripts().Count, await ScalarAsync<long>(connection, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1, await ScalarAsync<long>(connection, "SELECT count(*) FROM models WHERE is_active"));
        Assert.Equal(1, await ScalarAsync<long>(connection, "SELECT count(*) FROM models WHERE kind = 'bootstrap-mfcc'"));
        var model = await ScalarAsync<long>(connection, "SELECT id FROM models WHERE is_active");
        var definition = await ScalarAsync<string>(connection, $"SELECT indexdef FROM pg_indexes WHERE indexname = '{VectorIndex.Name(model)}' AND schemaname = current_schema()");
        Assert.Contains("hnsw", definition);
        Assert.Contains("vector(80)", definition);
        Assert.Contains($"model_id = {model}", definition);
        Assert.Contains("ef_construction='128'", definition); // the build that reached recall 0.96 at 1M vectors
    }

    [Fact]
    public async Task AnUpgradeReplacesAPassageIndexOfEveryPassageByOneOfTheTilingPassages()
    {
        await using var first = new ConvEmbedApiFactory();
        var (connection, model) = await StartAsync(first);
        await using var open = connection;
        // The database as the service before migration 0008 left it: the passage index over every passage.
        await ScalarAsync<int>(connection, $"""
            DROP INDEX {PassageIndex.Name(model)};
            CREATE INDEX {PassageIndex.Name(model)} ON passages USING hnsw ((embedding::halfvec(80)) halfvec_cosine_ops) WHERE model_id = {model};
            DELETE FROM schema_migrations WHERE version = 8;
            SELECT 1
            """);

        await using var upgraded = new SameDatabaseFactory(first.ConnectionString);
        _ = upgraded.CreateClient();
        var definition = await ScalarAsync<string>(connection, $"SELECT indexdef FROM pg_indexes WHERE indexname = '{PassageIndex.Name(model)}' AND schemaname = current_schema()");
        Assert.Contains($"WHERE ((model_id = {model}) AND ((seq % 2) = 0))", definition);
        Assert.Equal(Migrator.Scripts().Count, await ScalarAsync<long>(connection, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task SimilarQueriesUseTheModelsHnswIndex()
    {
        await using var factory = new ConvEmbedApiFactory();
        var (connection, model) = await StartAsync(factory);
        await using var open = connection;
        await using (var fill = new NpgsqlCommand($"""
            INSERT INTO tracks (id, sha256, title, duration_seconds, content_type, size_bytes)
            SELECT gen_random_uuid(), lpad(to_hex(i), 64, '0'), 't' || i, 1, 'audio/wav', 1 FROM generate_series(1, 2000) i;
            INSERT INTO embeddings (model_id, track_id, embedding)
            SELECT {model}, id, (SELECT array_agg(random())::real[]::vector FROM generate_series(1, 80) WHERE t.id IS NOT NULL) FROM tracks t;
            ANALYZE embeddings;
            """, connection))
            await fill.ExecuteNonQueryAsync();

        var index = factory.Services.GetRequiredService<SimilarityIndex>();
        var query = Enumerable.Range(0, 80).Select(i => (float)Math.Sin(i)).ToArray();
        var approximate = await index.NearestAsync(query, model, 80, 10, SearchFilter.None, exact: false, CancellationToken.None);
        var exact = await index.NearestAsync(query, model, 80, 10, SearchFilter.None, exact: true, CancellationToken.None);
        Assert.Equal(10, approximate.Count);
        Assert.True(approximate.Select(n => n.Id).Intersect(exact.Select(n => n.Id)).Count() >= 8, "HNSW recall@10 below 0.8 on 2000 vectors");

        await using var explain = new NpgsqlCommand($"""
            EXPLAIN SELECT track_id FROM embeddings WHERE model_id = {model}
            ORDER BY embedding::vector(80) <=> '[{string.Join(',', query)}]'::vector(80) LIMIT 10
            """, connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.Contains(VectorIndex.Name(model), string.Join("\n", plan));
    }

    /// <summary>Starts the service on its schema; a connection to that schema and the active model's id.</summary>
    private static async Task<(NpgsqlConnection Connection, long Model)> StartAsync(ConvEmbedApiFactory factory)
    {
        _ = factory.CreateClient();
        var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        return (connection, await ScalarAsync<long>(connection, "SELECT id FROM models WHERE is_active"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed class SameDatabaseFactory(string connectionString) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        private readonly string data = Directory.CreateTempSubdirectory("convembed-service-").FullName;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            builder.UseSetting("ConvEmbed:Database:ConnectionString", connectionString);
            builder.UseSetting("ConvEmbed:Storage:DataDirectory", data);
            builder.UseEnvironment("Testing");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
