using ConvEmbed.Service.Errors;

namespace ConvEmbed.Service.Storage;

/// <summary>Endpoints that need the database answer 503 (with the reason) until it is initialised.</summary>
public static class StorageEndpointFilter
{
    public static RouteGroupBuilder RequireStorage(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var readiness = context.HttpContext.RequestServices.GetRequiredService<StorageReadiness>();
            if (!readiness.IsReady)
                throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "The database is not ready", readiness.Problem)
                    { RetryAfter = TimeSpan.FromSeconds(5) };
            return await next(context);
        });
        return group;
    }
}
