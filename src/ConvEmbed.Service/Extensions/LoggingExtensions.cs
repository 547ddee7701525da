using Serilog;

namespace ConvEmbed.Service.Extensions;

public static class LoggingExtensions
{
    /// <summary>Serilog to the console, configured from the <c>Serilog</c> section (levels, overrides).</summary>
    public static WebApplicationBuilder AddConvEmbedLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger: each host keeps its own logger instead of assigning (and, when it stops, closing) the
        // process-wide Serilog.Log.Logger; hosts that share a process (the tests run many in parallel) must not share it.
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request (method, path, status, milliseconds) from Serilog.AspNetCore.</summary>
    public static WebApplication UseConvEmbedRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging();
        return app;
    }
}
