using ConvEmbed.Service.Storage;

namespace ConvEmbed.Service.Models;

/// <summary>At start-up: the bootstrap model exists, and some model is active.</summary>
public sealed class BootstrapModelSeed(ModelStore models) : IDatabaseSeed
{
    public Task SeedAsync(CancellationToken ct) => models.EnsureBootstrapAsync(ct);
}
