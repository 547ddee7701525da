using System.CommandLine;
using ConvEmbed.Cli;
using ConvEmbed.Cli.Commands;

var root = new RootCommand("convembed: learn, compute and evaluate self-supervised music embeddings.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await CommandRunner.RunAsync(root, args);
