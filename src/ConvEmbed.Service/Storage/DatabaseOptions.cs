using Npgsql;

namespace ConvEmbed.Service.Storage;

/// <summary>Where the service's PostgreSQL (with pgvector) lives. Bound from <c>ConvEmbed:Database</c>.</summary>
public sealed record DatabaseOptions
{
    public const string Section = "ConvEmbed:Database";

    /// <summary>Defaults to the project's own cluster started by <c>deploy/postgres.sh</c>.</summary>
    public string ConnectionString { get; init; } =
        "Host=127.0.0.1;Port=55432;Database=convembed;Username=convembed;Password=convembed";

    /// <summary>How long a readiness probe waits for the database before calling it unreachable.</summary>
    public int HealthTimeoutSeconds { get; init; } = 3;

    /// <summary>Returns the problems with these options, empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{Section}:ConnectionString is empty.";
            yield break;
        }
        string? error = null;
        try { _ = new NpgsqlConnectionStringBuilder(ConnectionString); }
        catch (ArgumentException e) { error = $"{Section}:ConnectionString is not a valid PostgreSQL connection string: {e.Message}"; }
        if (error is not null) yield return error;
        if (HealthTimeoutSeconds is < 1 or > 60)
            yield return $"{Section}:HealthTimeoutSeconds must be between 1 and 60 (was {HealthTimeoutSeconds}).";
    }
}
