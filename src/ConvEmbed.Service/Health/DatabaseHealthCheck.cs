using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Health;

/// <summary>Ready means: the database answers and has the <c>vector</c> extension.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.HealthTimeoutSeconds));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection);
            var version = await command.ExecuteScalarAsync(timeout.Token) as string;
            return version is null
                ? HealthCheckResult.Unhealthy("The database is reachable but the 'vector' extension is not installed (CREATE EXTENSION vector).")
                : HealthCheckResult.Healthy($"PostgreSQL {connection.PostgreSqlVersion} with vector {version}",
                    new Dictionary<string, object> { ["vector"] = version });
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            var reason = e is OperationCanceledException ? "timed out" : e.Message;
            return HealthCheckResult.Unhealthy($"The database is unreachable: {reason}");
        }
    }
}
