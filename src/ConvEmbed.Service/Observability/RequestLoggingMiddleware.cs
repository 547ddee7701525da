using System.Diagnostics;

namespace ConvEmbed.Service.Observability;

/// <summary>One log line per request (method, path, status, milliseconds), in place of Serilog.AspNetCore's, which does not restore here.</summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.Response.StatusCode;
            var level = status >= 500 ? LogLevel.Error : LogLevel.Information;
            logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {Elapsed:0.0} ms",
                context.Request.Method, context.Request.Path.Value, status, ms);
        }
    }
}
