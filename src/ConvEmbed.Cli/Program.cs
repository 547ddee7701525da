using System.CommandLine;
using ConvEmbed.Cli;
using ConvEmbed.Cli.Commands;

// Piped into a file or another program, tables keep their natural width instead of folding at 80 columns.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 240;

var root = new RootCommand("convembed: learn, compute and evaluate self-supervised music embeddings.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(MapCommand.Create());
root.Subcommands.Add(RadioCommand.Create());
root.Subcommands.Add(PassagesCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(CorpusCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await CommandRunner.RunAsync(root, args);
