using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Library;

/// <summary>
/// Scans the library folders at start-up, every <see cref="LibraryOptions.RescanMinutes"/> and when asked
/// (<c>POST /admin/library/scan</c>). A scan that fails (the database away, a defect) is logged and tried again; it never
/// stops the service.
/// </summary>
public sealed class LibraryWorker(LibraryScanner scanner, LibraryStore store, LibraryScanRequests requests, StorageReadiness readiness,
    InstanceIdentity identity, IOptions<LibraryOptions> options, ILogger<LibraryWorker> logger) : BackgroundService
{
    private static readonly TimeSpan NotReadyRetry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Folders.Length == 0) return;
        if (!o.WorkerEnabled)
        {
            logger.LogInformation("The library worker is off ({Section}:WorkerEnabled = false)", LibraryOptions.Section);
            return;
        }
        var every = o.RescanMinutes > 0 ? TimeSpan.FromMinutes(o.RescanMinutes) : Timeout.InfiniteTimeSpan;
        var earlierClaimsReleased = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var retry = every;
            try
            {
                if (readiness.IsReady)
                {
                    if (!earlierClaimsReleased)
                    {
                        // Files this instance claimed before a crash or kill: its earlier process is gone, so they wait again now.
                        var released = await store.ReleaseEarlierClaimsAsync(identity.Instance, identity.Name, stoppingToken);
                        if (released > 0) logger.LogInformation("Library: {Released} file(s) claimed before a restart wait again", released);
                        earlierClaimsReleased = true;
                    }
                    await scanner.ScanAsync(identity.Name, stoppingToken);
                }
                else retry = NotReadyRetry;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: whatever the cancellation broke
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Library scan: {Reason}; trying again", e.Message);
                retry = NotReadyRetry;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Library scan: unexpected failure; trying again at the next rescan");
            }
            try { await requests.WaitAsync(retry, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
