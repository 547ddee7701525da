using Microsoft.OpenApi;

namespace ConvEmbed.Service.Extensions;

public static class SwaggerExtensions
{
    /// <summary>The OpenAPI document: every endpoint with summary and description; examples from the records' XML docs.</summary>
    public static IServiceCollection AddConvEmbedSwagger(this IServiceCollection services) =>
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ConvEmbed",
                Version = "v1",
                Description = "Self-supervised music embeddings: upload tracks, get embeddings, find tracks that sound alike. " +
                              "Every error is RFC 9457 problem details (application/problem+json).",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, "ConvEmbed.Service.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
        });
}
