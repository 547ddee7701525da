using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Storage;

/// <summary>
/// This process's name in the claims it makes (<c>training_jobs.claimed_by</c>, <c>library_files.claimed_by</c>):
/// <c>{instance}:{process id}:{random}</c>. The instance part stays the same when the service restarts —
/// <c>ConvEmbed:InstanceName</c>, else the host name and data folder — so a new process can tell which claims its
/// earlier life left behind (and take them back at once). A second live process on the
/// same host and folder must not look like that earlier life: the first holds a lock on the folder for as long as it
/// runs (a killed process's lock goes with it), and a process that cannot take it names itself after its process id.
/// </summary>
public sealed class InstanceIdentity : IDisposable
{
    private readonly FileStream? folderLock;

    public InstanceIdentity(IOptions<InstanceOptions> options, StoragePaths paths) : this(options.Value.InstanceName, paths.Data) { }

    public InstanceIdentity(string? instanceName, string dataFolder)
    {
        if (instanceName is { Length: > 0 }) Instance = instanceName;
        else
        {
            var byFolder = $"{Environment.MachineName}@{dataFolder.Replace(':', '_')}";
            try
            {
                // FileShare.None is an exclusive lock (flock) on Linux, also between processes.
                folderLock = new FileStream(Path.Combine(dataFolder, "instance.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                Instance = byFolder;
            }
            catch (IOException)
            {
                Instance = $"{byFolder}#{Environment.ProcessId}";
            }
        }
        Name = $"{Instance}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>The part of <see cref="Name"/> that survives a restart.</summary>
    public string Instance { get; }

    public string Name { get; }

    public void Dispose() => folderLock?.Dispose();
}
