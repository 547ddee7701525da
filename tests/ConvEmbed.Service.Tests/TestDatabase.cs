namespace ConvEmbed.Service.Tests;

/// <summary>The real test database started by <c>deploy/postgres.sh</c>; override with CONVEMBED_TEST_DATABASE.</summary>
public static class TestDatabase
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("CONVEMBED_TEST_DATABASE") is { Length: > 0 } fromEnv
            ? fromEnv
            : $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("CONVEMBED_PG_PORT") ?? "55432"};" +
              "Database=convembed_test;Username=convembed_test;Password=convembed_test";

    /// <summary>A port on which nothing listens, for "database unreachable" cases.</summary>
    public const string Unreachable = "Host=127.0.0.1;Port=1;Database=nothing;Username=nobody;Password=none;Timeout=2";
}
