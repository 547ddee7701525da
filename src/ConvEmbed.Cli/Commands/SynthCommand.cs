using System.CommandLine;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed synth FOLDER`: writes the labelled synthetic music library (one folder per class) for tests and benchmarks.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Where to write one subfolder per class." };
        var perClass = new Option<int>("--per-class") { Description = "Tracks per class.", DefaultValueFactory = _ => 25 }.Must(v => v >= 1, "must be at least 1");
        var seconds = new Option<double>("--seconds") { Description = "Length of each track.", DefaultValueFactory = _ => 30 }.Must(v => v is >= 1 and <= 1200, "must be between 1 and 1200");
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format") { Description = "wav, mp3, ogg or flac (the latter through ffmpeg).", DefaultValueFactory = _ => "wav" };
        format.AcceptOnlyFromAmong(Enum.GetNames<AudioFileFormat>().Select(n => n.ToLowerInvariant()).ToArray());
        var command = new Command("synth", $"Write a labelled synthetic music library ({SyntheticMusic.Labels.Count} classes) for trying things out.")
        {
            folder, perClass, seconds, seed, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var root = parse.GetValue(folder)!.FullName;
            var fmt = Enum.Parse<AudioFileFormat>(parse.GetValue(format)!, ignoreCase: true);
            var written = await SyntheticLibrary.WriteAsync(root, parse.GetValue(perClass), parse.GetValue(seed), parse.GetValue(seconds), fmt, cancellationToken: ct);
            Console.WriteLine($"wrote {written.Count} tracks in {written.Select(w => w.Label).Distinct().Count()} class folders under {root}");
            return 0;
        });
        return command;
    }
}
