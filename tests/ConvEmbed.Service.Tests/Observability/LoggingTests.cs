namespace ConvEmbed.Service.Tests.Observability;

public sealed class LoggingTests
{
    /// <summary>
    /// A host logs through its own Serilog logger and leaves the process-wide Serilog.Log alone: hosts that share a
    /// process (tests in parallel) would otherwise write through, and at their end close, each other's logger.
    /// </summary>
    [Fact]
    public async Task AHostLeavesTheProcessWideLoggerAlone()
    {
        var before = Serilog.Log.Logger;
        await using (var factory = new ConvEmbedApiFactory())
        {
            using var client = factory.CreateClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            Assert.Same(before, Serilog.Log.Logger);
        }
        Assert.Same(before, Serilog.Log.Logger);
    }
}
