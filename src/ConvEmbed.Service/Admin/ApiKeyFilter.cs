using System.Security.Cryptography;
using System.Text;
using ConvEmbed.Service.Errors;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Admin;

/// <summary>
/// The admin group's gate: header <c>X-Api-Key</c> against <see cref="AdminOptions.ApiKey"/>, compared in constant time
/// (both sides hashed first, so neither content nor length leaks through timing). No key configured → 503 saying how
/// to set one; no header → 401; a wrong key → 403.
/// </summary>
public sealed class ApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var configured = options.Value.ApiKey;
        if (configured.Length == 0)
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "The admin API is not configured",
                $"Set an API key of at least {AdminOptions.MinKeyLength} characters in {AdminOptions.Section}:ApiKey " +
                "(environment variable ConvEmbed__Admin__ApiKey) and restart the service.");
        if (!context.HttpContext.Request.Headers.TryGetValue(Header, out var sent) || string.IsNullOrEmpty(sent))
            throw new ApiProblemException(StatusCodes.Status401Unauthorized, "An API key is required", $"Send the admin key in the {Header} header.");
        if (!Matches(sent.ToString(), configured))
            throw new ApiProblemException(StatusCodes.Status403Forbidden, "The API key is not valid", $"The {Header} header does not hold the configured admin key.");
        return await next(context);
    }

    public static bool Matches(string sent, string configured) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
}
