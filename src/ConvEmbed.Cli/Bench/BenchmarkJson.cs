using System.Text.Json;

namespace ConvEmbed.Cli.Bench;

/// <summary>Writes a benchmark's results as indented snake_case JSON, the form every `bench --json FILE` shares.</summary>
public static class BenchmarkJson
{
    public static void Write(string? path, object results)
    {
        if (string.IsNullOrEmpty(path)) return;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(results, CliJson.Options));
        Console.WriteLine($"wrote {full}");
    }
}
