using Npgsql;

namespace ConvEmbed.Service.Storage;

/// <summary>
/// At start-up: apply migrations, then write the rows every room needs (<see cref="IDatabaseSeed"/>). Start-up waits for the first attempt; if the
/// database is unreachable, the service still starts (health answers 503 and says why) and retries every few seconds.
/// </summary>
public sealed class StorageInitializer(Migrator migrator, IEnumerable<IDatabaseSeed> seeds, StorageReadiness readiness, ILogger<StorageInitializer> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryInitialiseAsync(cancellationToken)) await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RetryDelay, stoppingToken);
            if (await TryInitialiseAsync(stoppingToken)) return;
        }
    }

    private async Task<bool> TryInitialiseAsync(CancellationToken ct)
    {
        try
        {
            await migrator.MigrateAsync(ct);
            foreach (var seed in seeds) await seed.SeedAsync(ct);
            readiness.Ready();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            readiness.Failed($"The database could not be initialised: {e.Message}");
            logger.LogWarning("Database not ready ({Reason}); retrying every {Seconds} s", e.Message, RetryDelay.TotalSeconds);
            return false;
        }
    }
}
