using Serilog;

namespace ConvEmbed.Service.Extensions;

public static class LoggingExtensions
{
    /// <summary>Serilog to the console, configured from the <c>Serilog</c> section (levels, overrides).</summary>
    public static WebApplicationBuilder AddConvEmbedLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
