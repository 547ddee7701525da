using ConvEmbed.Service.Library;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Storage;
using ConvEmbed.Service.Training;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Admin;

/// <summary><c>/admin</c>: retraining and models, behind the API key (<see cref="ApiKeyFilter"/>).</summary>
public static class AdminApi
{
    public const string SecurityScheme = "ApiKey";

    public static RouteGroupBuilder MapAdmin(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey.Length == 0)
            app.Logger.LogWarning("The admin API (/admin) answers 503: no key is configured. Set {Section}:ApiKey (environment ConvEmbed__Admin__ApiKey).",
                AdminOptions.Section);
        var group = app.MapGroup("/admin").RequireStorage().AddEndpointFilter<ApiKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new AdminEndpointMetadata());
        group.MapTraining();
        group.MapModelAdmin();
        group.MapModelActivation();
        group.MapLibraryScan();
        app.MapActiveModel();
        return group;
    }
}

/// <summary>Marks admin endpoints, so the OpenAPI document shows that they need the key.</summary>
public sealed class AdminEndpointMetadata;
