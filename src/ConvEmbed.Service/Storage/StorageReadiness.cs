namespace ConvEmbed.Service.Storage;

/// <summary>Whether migrations ran and the bootstrap model is registered; endpoints that need the database answer 503 until then.</summary>
public sealed class StorageReadiness
{
    private volatile string? problem = "The database has not been initialised yet.";

    public bool IsReady => problem is null;
    public string? Problem => problem;

    internal void Ready() => problem = null;
    internal void Failed(string reason) => problem = reason;
}
