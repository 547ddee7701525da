namespace ConvEmbed.Cli.Library;

/// <summary>
/// Where decoded log-mels are kept between runs: <c>--cache</c>, else <c>$CONVEMBED_CACHE</c>, else
/// <c>$XDG_CACHE_HOME/convembed/features</c>, else <c>~/.cache/convembed/features</c>.
/// </summary>
public static class FeatureCacheFolder
{
    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        if (Environment.GetEnvironmentVariable("CONVEMBED_CACHE") is { Length: > 0 } env) return Path.GetFullPath(env);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "convembed", "features");
    }
}
