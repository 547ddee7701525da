using System.Text.Json;

namespace ConvEmbed.Cli;

/// <summary>The JSON shape every command and benchmark writes: snake_case, indented.</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A collapsed run has no metrics: its NaN values are written as the string "NaN".
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
