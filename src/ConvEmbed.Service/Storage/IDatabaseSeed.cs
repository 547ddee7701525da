namespace ConvEmbed.Service.Storage;

/// <summary>Rows the service needs before it answers (e.g. the bootstrap model), written after the migrations at every
/// start-up: idempotent. Rooms that own such rows implement it, so storage need not know them.</summary>
public interface IDatabaseSeed
{
    Task SeedAsync(CancellationToken ct);
}
