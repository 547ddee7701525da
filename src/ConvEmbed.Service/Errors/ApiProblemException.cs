namespace ConvEmbed.Service.Errors;

/// <summary>A request that cannot be served, with the status and the words a person needs; turned into RFC 9457
/// problem details by <see cref="ProblemExceptionHandler"/>.</summary>
public sealed class ApiProblemException(int status, string title, string? detail = null, Exception? inner = null)
    : Exception(detail ?? title, inner)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public TimeSpan? RetryAfter { get; init; }
}
