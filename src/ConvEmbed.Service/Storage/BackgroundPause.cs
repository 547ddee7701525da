namespace ConvEmbed.Service.Storage;

/// <summary>The background workers' wait between attempts.</summary>
public static class BackgroundPause
{
    /// <summary>Waits <paramref name="delay"/>, or less when <paramref name="stopping"/> fires — without throwing: an
    /// exception that leaves a BackgroundService while only that service is stopped makes the host stop the application.</summary>
    public static async Task ForAsync(TimeSpan delay, CancellationToken stopping)
    {
        try { await Task.Delay(delay, stopping); }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }
}
