using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Storage;

/// <summary>The resolved, existing folders of <see cref="StorageOptions"/>. <see cref="Temp"/> is on the blob store's
/// file system, so a finished upload is published with a rename.</summary>
public sealed class StoragePaths
{
    public StoragePaths(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        Data = Path.GetFullPath(o.DataDirectory.Length > 0 ? o.DataDirectory : DefaultDataDirectory(environment.ContentRootPath), environment.ContentRootPath);
        Blobs = Resolve(o.BlobDirectory, "blobs");
        Features = Resolve(o.FeatureCacheDirectory, "features");
        Models = Resolve(o.ModelDirectory, "models");
        Temp = Path.Combine(Blobs, ".incoming");
        foreach (var folder in new[] { Data, Blobs, Features, Models, Temp }) Directory.CreateDirectory(folder);
    }

    public string Data { get; }
    public string Blobs { get; }
    public string Features { get; }
    public string Models { get; }
    public string Temp { get; }

    private string Resolve(string configured, string name) =>
        configured.Length > 0 ? Path.GetFullPath(configured, Data) : Path.Combine(Data, name);

    private static string DefaultDataDirectory(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ConvEmbed.Service.sln")))
                return Path.Combine(dir.FullName, ".data", "service");
        return Path.Combine(contentRoot, "data");
    }
}
