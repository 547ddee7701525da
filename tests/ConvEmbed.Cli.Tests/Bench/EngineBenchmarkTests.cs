using System.Text.Json;

namespace ConvEmbed.Cli.Tests.Bench;

/// <summary>`bench engine`: the binding against the C++ step of libconvembed_bench.so, built from the same EncoderConfig.</summary>
public sealed class EngineBenchmarkTests
{
    [Fact]
    public async Task BothSidesTrainTheSameEncoderAndTheJsonKeepsItsFields()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "bench", "engine", "--steps", "2", "--warmup", "1", "--batch", "2", "--frames", "64",
            "--threads", "1", "--encoder", "rf0.1", "--json", "e.json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("ratio binding/native", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("e.json")));
        var root = json.RootElement;
        foreach (var field in new[] { "binding_ms", "native_ms", "ratio" })
            Assert.True(root.GetProperty(field).GetDouble() > 0, field);
        Assert.Equal((64, 256, 1), (root.GetProperty("mel").GetInt32(), root.GetProperty("channels").GetInt32(), root.GetProperty("threads").GetInt32()));
        Assert.Equal(2, root.GetProperty("binding_steps_ms").GetArrayLength());
        Assert.Equal(2, root.GetProperty("native_steps_ms").GetArrayLength());
    }
}
