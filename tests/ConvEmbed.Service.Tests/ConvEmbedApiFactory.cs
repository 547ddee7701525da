using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvEmbed.Service.Tests;

/// <summary>Hosts the real service in memory against the real test database (or the connection string given).</summary>
public sealed class ConvEmbedApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    public ConvEmbedApiFactory() : this(TestDatabase.ConnectionString) { }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConvEmbed:Database:ConnectionString", connectionString);
        builder.UseSetting("ConvEmbed:Database:HealthTimeoutSeconds", "3");
        builder.UseEnvironment("Testing");
    }
}
