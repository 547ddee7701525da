namespace ConvEmbed.Cli.Bench;

/// <summary>What `bench engine --json` writes (snake_case: binding_ms, native_ms, ratio, threads, …).</summary>
public sealed record EngineBenchmarkResult(
    double BindingMs, double NativeMs, double Ratio, int Threads, int Batch, int Mel, int Frames, int Channels,
    int Steps, string LibtorchVersion, IReadOnlyList<double> BindingStepsMs, IReadOnlyList<double> NativeStepsMs);
