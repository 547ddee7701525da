using ConvEmbed.Service.Storage;

namespace ConvEmbed.Service.Tests.Storage;

public sealed class InstanceIdentityTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-identity-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ARestartOnTheSameFolderGetsTheSameInstanceAndANewName()
    {
        string instance, name;
        using (var first = new InstanceIdentity(null, folder)) (instance, name) = (first.Instance, first.Name);

        using var restarted = new InstanceIdentity(null, folder);

        Assert.Equal(instance, restarted.Instance);
        Assert.NotEqual(name, restarted.Name);
        Assert.StartsWith(restarted.Instance + ":", restarted.Name);
    }

    /// <summary>Two live workers on one folder must not take each other for an earlier life (which fails its jobs).</summary>
    [Fact]
    public void ASecondLiveWorkerOnTheSameFolderIsAnotherInstance()
    {
        using var first = new InstanceIdentity(null, folder);
        using var second = new InstanceIdentity(null, folder);

        Assert.NotEqual(first.Instance, second.Instance);
        Assert.False(second.Name.StartsWith(first.Instance + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void AConfiguredNameIsTakenAsItIs()
    {
        using var identity = new InstanceIdentity("gpu-host", folder);

        Assert.Equal("gpu-host", identity.Instance);
        Assert.StartsWith("gpu-host:", identity.Name);
    }
}
