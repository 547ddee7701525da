namespace ConvEmbed.Service.Training;

/// <summary>Wakes this instance's idle worker when a job is queued here (others find it at their next poll).</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Pulse()
    {
        try { signal.Release(); } catch (SemaphoreFullException) { }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}
