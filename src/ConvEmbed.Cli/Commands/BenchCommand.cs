using System.CommandLine;
using ConvEmbed.Cli.Bench;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed bench …`: measurements that print a table and optionally write JSON; never pass or fail on time.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark: prints a table, --json FILE writes machine-readable results.");
        bench.Subcommands.Add(EngineBenchmark.Create());
        bench.Subcommands.Add(FrontendBenchmark.Create());
        bench.Subcommands.Add(ObjectivesBenchmark.Create());
        bench.Subcommands.Add(DinoSweepBenchmark.Create());
        bench.Subcommands.Add(StepBenchmark.Create());
        bench.Subcommands.Add(TsneBenchmark.Create());
        return bench;
    }
}
