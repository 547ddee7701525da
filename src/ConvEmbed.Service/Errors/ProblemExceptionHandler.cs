using ConvEmbed.Audio.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ConvEmbed.Service.Errors;

/// <summary>
/// Every exception that reaches the pipeline becomes problem details with a title a person understands: bad audio 422,
/// an upload that broke off 400, the database away 503, anything else 500 without internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.RequestAborted.IsCancellationRequested) return true; // the client is gone: nobody to answer
        var (status, title, detail) = Describe(exception);
        if (status >= 500) logger.LogError(exception, "{Title}", title);
        if (exception is ApiProblemException { RetryAfter: { } retry })
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // An upload is decoded from blobs/.incoming/<guid>.part: decoders name that path, the client should not see it.
    private static readonly System.Text.RegularExpressions.Regex UploadPath =
        new(@"(file:)?[^\s'`]*[/\\]\.incoming[/\\][0-9a-f]{32}\.part", System.Text.RegularExpressions.RegexOptions.Compiled);

    internal static string Redact(string message) => UploadPath.Replace(message, "the upload");

    internal static (int Status, string Title, string? Detail) Describe(Exception e) => e switch
    {
        ApiProblemException p => (p.Status, p.Title, p.Detail),
        FfmpegMissingException => (StatusCodes.Status500InternalServerError, "ffmpeg is missing on the server", e.Message),
        DecodeTimeoutException => (StatusCodes.Status422UnprocessableEntity, "Decoding the file took too long", e.Message),
        AudioTooLongException => (StatusCodes.Status422UnprocessableEntity, "The audio is too long", e.Message),
        AudioTooShortException => (StatusCodes.Status422UnprocessableEntity, "The audio is too short", e.Message),
        AudioException => (StatusCodes.Status422UnprocessableEntity, $"The file is not audio that ConvEmbed can read: {Redact(e.Message)}", Redact(e.Message)),
        BadHttpRequestException { InnerException: System.Text.Json.JsonException j } b => (b.StatusCode, "The request body is not the JSON this endpoint takes",
            j.Path is { Length: > 1 } path
                ? $"At {path}: the value is malformed or of the wrong type (the schema is in /swagger)."
                : "The body is not a JSON object (the schema is in /swagger)."),
        BadHttpRequestException b => (b.StatusCode, b.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "The request body is too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "Bad request",
        }, b.Message),
        NpgsqlException { IsTransient: true } or TimeoutException =>
            (StatusCodes.Status503ServiceUnavailable, "The database is unavailable", "Try again in a moment."),
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "The error was logged."),
    };
}
