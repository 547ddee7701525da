using ConvEmbed.Service.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConvEmbed.Service.Library;

/// <summary>
/// Scans the library folders at start-up, every <see cref="LibraryOptions.RescanMinutes"/> and when asked
/// (<c>POST /admin/library/scan</c>). A scan that fails (the database away, a defect) is logged and tried again; it never
/// stops the service.
/// </summary>
public sealed class LibraryWorker(LibraryScanner scanner, LibraryScanRequests requests, StorageReadiness readiness, IOptions<LibraryOptions> options,
    ILogger<LibraryWorker> logger) : BackgroundService
{
    private static readonly TimeSpan NotReadyRetry = TimeSpan.FromSeconds(2);
    private readonly string name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

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
        while (!stoppingToken.IsCancellationRequested)
        {
            var retry = every;
            try
            {
                if (readiness.IsReady) await scanner.ScanAsync(name, stoppingToken);
                else retry = NotReadyRetry;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Library scan: {Reason}; trying again", e.Message);
                retry = NotReadyRetry;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Library scan: unexpected failure; trying again at the next rescan");
            }
            try { await requests.WaitAsync(retry, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
