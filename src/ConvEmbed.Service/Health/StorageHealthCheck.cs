using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConvEmbed.Service.Health;

/// <summary>Ready also means: migrations applied and the bootstrap model registered.</summary>
internal sealed class StorageHealthCheck(StorageReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("Schema migrated, a model is active.")
            : HealthCheckResult.Unhealthy(readiness.Problem));
}
