using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConvEmbed.Service.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database and extension are there).</summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");

        group.MapGet("/live", () => TypedResults.Ok(new HealthResponse("Healthy", new Dictionary<string, CheckResult>())))
            .WithName("Live")
            .WithSummary("Liveness: the process is up.")
            .WithDescription("Always 200 while the process serves requests; checks no dependency.");

        group.MapGet("/ready", ReadyAsync)
            .WithName("Ready")
            .WithSummary("Readiness: PostgreSQL is reachable and has the vector extension.")
            .WithDescription("200 with the checks when ready; 503 with RFC 9457 problem details naming what is missing otherwise.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> ReadyAsync(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), ct);
        var checks = report.Entries.ToDictionary(e => e.Key, e => new CheckResult(e.Value.Status.ToString(), e.Value.Description));
        if (report.Status == HealthStatus.Healthy)
            return TypedResults.Ok(new HealthResponse("Healthy", checks));

        var failing = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service not ready",
            detail: string.Join(" ", failing),
            extensions: new Dictionary<string, object?> { ["checks"] = checks });
    }

    public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, CheckResult> Checks);

    public sealed record CheckResult(string Status, string? Description);
}
