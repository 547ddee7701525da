namespace ConvEmbed.Service.Library;

/// <summary>Rescans asked for through <c>POST /admin/library/scan</c>: the worker waits on them between periodic scans.
/// Several requests while one scan runs make one more scan, not several.</summary>
public sealed class LibraryScanRequests
{
    private readonly SemaphoreSlim requested = new(0, 1);

    public void Request()
    {
        try { requested.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>True when a scan was asked for, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => requested.WaitAsync(timeout, ct);
}
