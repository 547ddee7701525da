using ConvEmbed.Service.Health;
using ConvEmbed.Service.Observability;
using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Npgsql;

namespace ConvEmbed.Service.Extensions;

public static class ServiceExtensions
{
    /// <summary>Options, database, health checks, problem details and Swagger.</summary>
    public static WebApplicationBuilder AddConvEmbedServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>>(new OptionsValidation<DatabaseOptions>(o => o.Validate()));
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        services.AddProblemDetails();

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o => o.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "ConvEmbed",
            Version = "v1",
            Description = "Self-supervised music embeddings: upload tracks, get embeddings, find tracks that sound alike.",
        }));
        return builder;
    }

    /// <summary>Problem details for every error (exceptions and bare status codes), request logging, Swagger UI at /swagger.</summary>
    public static WebApplication UseConvEmbedPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "ConvEmbed API");
        return app;
    }
}
