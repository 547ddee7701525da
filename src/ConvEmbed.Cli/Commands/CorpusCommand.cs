using System.CommandLine;
using ConvEmbed.Cli.Corpus;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed corpus debian DIR`: the labelled real-music corpus from Debian's game soundtrack packages.</summary>
public static class CorpusCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Where to write one folder per package (the label) and manifest.tsv." };
        var cache = new Option<string?>("--cache") { Description = "Where downloaded and unpacked packages are kept (default $XDG_CACHE_HOME or ~/.cache, then convembed/debian). Must not be inside the corpus folder." };
        var packages = new Option<string[]>("--packages")
        {
            Description = $"Only these packages (default all {DebianCorpus.Packages.Count}: {string.Join(", ", DebianCorpus.Packages)}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var debian = new Command("debian", "Game soundtracks under free licences from Debian packages (about 1.4 GB of downloads): " +
                                           "apt-get download, keep music longer than 30 s, one folder per package, manifest.tsv with duration, codec and licence.")
        {
            folder, cache, packages,
        };
        debian.SetAction(async (parse, ct) =>
        {
            var root = parse.GetValue(folder)!.FullName;
            var cacheDir = CacheFolder(parse.GetValue(cache));
            if (IsInside(cacheDir, root))
                throw new CliError($"--cache ({cacheDir}) must not be inside the corpus folder: its unpacked files would be read as tracks");
            var chosen = parse.GetValue(packages) is { Length: > 0 } p
                ? p.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : DebianCorpus.Packages.ToList();
            if (chosen.FirstOrDefault(x => !DebianCorpus.Packages.Contains(x)) is { } unknown)
                throw new CliError($"'{unknown}' is not one of the corpus packages: {string.Join(", ", DebianCorpus.Packages)}");
            Stderr.Line($"corpus: {chosen.Count} packages into {root} (downloads kept in {cacheDir})");
            var (tracks, skipped) = await new DebianCorpus(root, cacheDir, Stderr.Line).BuildAsync(chosen, ct);
            foreach (var group in tracks.GroupBy(t => t.Package))
                Console.WriteLine($"{group.Key,-22} {group.Count(),4} tracks {group.Sum(t => t.Seconds) / 60,6:0} min  {string.Join(", ", group.Select(t => t.License).Distinct())}");
            Console.WriteLine($"{tracks.Count} tracks, {tracks.Sum(t => t.Seconds) / 3600:0.0} h, {tracks.Select(t => t.Package).Distinct().Count()} labels; manifest: {Path.Combine(root, DebianCorpus.ManifestName)}");
            if (skipped.Count == 0) return 0;
            Stderr.Line($"convembed: {skipped.Count} package(s) skipped: {string.Join("; ", skipped)}");
            return tracks.Count > 0 ? 0 : 1;
        });
        return new Command("corpus", "Build a labelled real-music corpus.") { debian };
    }

    private static string CacheFolder(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "convembed", "debian");
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
