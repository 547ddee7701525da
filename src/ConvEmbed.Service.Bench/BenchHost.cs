using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace ConvEmbed.Service.Bench;

/// <summary>The real service on a real socket (Kestrel on a free loopback port), on a scratch schema and data folder
/// that are removed afterwards (the schema is kept with <c>CONVEMBED_BENCH_KEEP_SCHEMA=1</c>), so a benchmark never touches
/// the library it runs next to.</summary>
internal sealed class BenchHost : WebApplicationFactory<Program>
{
    private readonly string adminConnectionString;
    private readonly Dictionary<string, string> settings;

    private readonly bool ownsSchema;

    /// <param name="connectionString">The database (its administrator's connection).</param>
    /// <param name="settings">Service settings over the defaults.</param>
    /// <param name="shareWith">Another host whose schema (and library) this one serves too, e.g. with other settings;
    /// that host removes it.</param>
    public BenchHost(string connectionString, Dictionary<string, string>? settings = null, BenchHost? shareWith = null)
    {
        this.settings = settings ?? [];
        // The factory looks for the service's source folder next to a solution file; a benchmark runs from its own
        // output folder, which has the service's appsettings.json.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CONVEMBED_SERVICE", AppContext.BaseDirectory);
        adminConnectionString = connectionString;
        ownsSchema = shareWith is null;
        Schema = shareWith?.Schema ?? $"bench_{Guid.NewGuid():N}";
        if (ownsSchema)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {Schema}", connection);
            create.ExecuteNonQuery();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"{Schema},public" }.ConnectionString;
        DataDirectory = Directory.CreateTempSubdirectory("convembed-bench-").FullName;
        UseKestrel(0);
    }

    public string Schema { get; }
    public string ConnectionString { get; }
    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConvEmbed:Database:ConnectionString", ConnectionString);
        builder.UseSetting("ConvEmbed:Storage:DataDirectory", DataDirectory);
        builder.UseSetting("ConvEmbed:Uploads:PerClientConcurrency", "64");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // The map benchmark runs the layout itself, at the size it measures (not while searches are timed).
        builder.UseSetting("ConvEmbed:Map:WorkerEnabled", "false");
        builder.UseSetting("ConvEmbed:Map:RefreshSeconds", "0");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ownsSchema)
        {
            Directory.Delete(DataDirectory, recursive: true);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        if (Environment.GetEnvironmentVariable("CONVEMBED_BENCH_KEEP_SCHEMA") == "1")
        {
            // For studying the data in psql afterwards; the caller drops the schema.
            Console.Error.WriteLine($"kept schema {Schema} (CONVEMBED_BENCH_KEEP_SCHEMA=1)");
            Directory.Delete(DataDirectory, recursive: true);
            return;
        }
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
