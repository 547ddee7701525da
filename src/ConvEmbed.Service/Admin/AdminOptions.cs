namespace ConvEmbed.Service.Admin;

/// <summary>The admin API's key. Bound from <c>ConvEmbed:Admin</c> (environment: <c>ConvEmbed__Admin__ApiKey</c>).</summary>
public sealed record AdminOptions
{
    public const string Section = "ConvEmbed:Admin";
    public const int MinKeyLength = 16;

    /// <summary>Sent by clients in the <c>X-Api-Key</c> header. Empty: the admin API answers 503 until one is set.</summary>
    public string ApiKey { get; init; } = "";

    public IEnumerable<string> Validate()
    {
        if (ApiKey.Length is > 0 and < MinKeyLength)
            yield return $"{Section}:ApiKey must be at least {MinKeyLength} characters (was {ApiKey.Length}); generate one with: openssl rand -hex 24";
    }
}
