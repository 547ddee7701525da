using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace ConvEmbed.Service.Tests;

/// <summary>
/// Hosts the real service in memory against the real test database. Each factory gets a schema of its own in the
/// test database (dropped on dispose) and a data folder of its own, so tests running in parallel see exactly their
/// own rows and files. An explicit connection string (e.g. an unreachable one) is used as given.
/// </summary>
public sealed class ConvEmbedApiFactory : WebApplicationFactory<Program>
{
    private readonly string connectionString;
    private readonly string? schema;
    private readonly Dictionary<string, string?> settings;

    public ConvEmbedApiFactory(Dictionary<string, string?>? settings = null)
        : this(TestDatabase.ConnectionString, isolated: true, settings) { }

    /// <summary>A host on a database (or schema) that someone else owns: e.g. a second instance of the service.</summary>
    public ConvEmbedApiFactory(string connectionString, Dictionary<string, string?>? settings = null) : this(connectionString, isolated: false, settings) { }

    private ConvEmbedApiFactory(string connectionString, bool isolated, Dictionary<string, string?>? settings)
    {
        this.settings = settings ?? [];
        DataDirectory = Directory.CreateTempSubdirectory("convembed-service-").FullName;
        if (!isolated)
        {
            this.connectionString = connectionString;
            return;
        }
        schema = $"t_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }
        this.connectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"{schema},public" }.ConnectionString;
    }

    public string DataDirectory { get; }
    public string ConnectionString => connectionString;
    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");
    public string FeatureDirectory => Path.Combine(DataDirectory, "features");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConvEmbed:Database:ConnectionString", connectionString);
        builder.UseSetting("ConvEmbed:Database:HealthTimeoutSeconds", "3");
        builder.UseSetting("ConvEmbed:Storage:DataDirectory", DataDirectory);
        builder.UseSetting("ConvEmbed:Uploads:PerClientConcurrency", "16");
        // Layouts cost CPU that other tests' timings feel; the map's own tests turn the worker on (MapLayoutWaits.FastMap).
        builder.UseSetting("ConvEmbed:Map:WorkerEnabled", "false");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (schema is not null)
        {
            await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
