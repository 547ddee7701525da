using ConvEmbed.Service.Admin;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvEmbed.Service.Extensions;

public static partial class SwaggerExtensions
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
            o.SchemaFilter<ExampleFromDescriptionFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, "ConvEmbed.Service.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
        });

    /// <summary>
    /// A record's positional parameters carry their example inside the &lt;param&gt; text (<c>…&lt;example&gt;10&lt;/example&gt;</c>),
    /// which the XML-comment reader copies into the property's description verbatim. This moves it out: the description
    /// loses the tag and the property gets it as its example (a number, boolean, null or JSON value as such, else text).
    /// </summary>
    private sealed partial class ExampleFromDescriptionFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema.Properties is null) return;
            foreach (var property in schema.Properties.Values.OfType<OpenApiSchema>())
            {
                if (property.Description is not { } text) continue;
                // A <param> doc written over several lines keeps its line breaks and the source's indentation: one line.
                property.Description = text = LineBreak().Replace(text, " ");
                if (ExampleTag().Match(text) is not { Success: true } match) continue;
                property.Description = ExampleTag().Replace(text, "").Trim();
                // The document is OpenAPI 3.0, whose schemas have one `example`; Swashbuckle's own XML-comment filter
                // sets the same property.
#pragma warning disable CS0618
                property.Example ??= Example(match.Groups[1].Value.Trim(), property.Type);
#pragma warning restore CS0618
            }
        }

        private static System.Text.Json.Nodes.JsonNode? Example(string value, JsonSchemaType? type)
        {
            if (type is { } t && t.HasFlag(JsonSchemaType.String) && value != "null") return System.Text.Json.Nodes.JsonValue.Create(value);
            try
            {
                return System.Text.Json.Nodes.JsonNode.Parse(value);
            }
            catch (System.Text.Json.JsonException)
            {
                return System.Text.Json.Nodes.JsonValue.Create(value);
            }
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"<example>(.*?)</example>", System.Text.RegularExpressions.RegexOptions.Singleline)]
        private static partial System.Text.RegularExpressions.Regex ExampleTag();

        [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]*\r?\n\s*")]
        private static partial System.Text.RegularExpressions.Regex LineBreak();
    }

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
