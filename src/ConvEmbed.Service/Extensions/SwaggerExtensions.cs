using ConvEmbed.Service.Admin;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvEmbed.Service.Extensions;

public static class SwaggerExtensions
{
    /// <summary>The OpenAPI document: every endpoint with summary and description; examples from the records' XML docs;
    /// the admin endpoints marked as needing the X-Api-Key header, which Swagger UI lets a person paste once ("Authorize").</summary>
    public static IServiceCollection AddConvEmbedSwagger(this IServiceCollection services) =>
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ConvEmbed",
                Version = "v1",
                Description = "Self-supervised music embeddings: upload tracks, get embeddings, find tracks that sound alike, retrain on the library. " +
                              "Every error is RFC 9457 problem details (application/problem+json). Admin endpoints need the X-Api-Key header.",
            });
            o.AddSecurityDefinition(AdminApi.SecurityScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyFilter.Header,
                Description = "The admin key (ConvEmbed:Admin:ApiKey).",
            });
            o.OperationFilter<AdminSecurityFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, "ConvEmbed.Service.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
        });

    private sealed class AdminSecurityFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AdminEndpointMetadata>().Any()) return;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminApi.SecurityScheme, context.Document)] = [] });
        }
    }
}
