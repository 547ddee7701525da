using System.CommandLine;
using System.Diagnostics;
using ConvEmbed.Cli.Library;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
using ConvEmbed.Torch;

namespace ConvEmbed.Cli.Commands;

/// <summary>
/// `convembed embed FOLDER|FILE… --model DIR|random:SEED|mfcc --out FILE [--segments | --passages]`: one vector per track
/// (or per window, or per passage for `convembed passages`) to .jsonl or .csv (passages: .jsonl). Paths are relative to
/// the folder when one folder is given, else as given.
/// </summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "A folder (searched recursively) or audio files.", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "A model folder from 'convembed train', random:SEED (randomly initialised encoder) or mfcc (MFCC statistics baseline).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Embeddings file to write: .jsonl or .csv.", Required = true };
        var segments = new Option<bool>("--segments") { Description = "One vector per window (with its start time) instead of one per track." };
        var passages = new Option<bool>("--passages") { Description = "One vector per passage (start, end) for 'convembed passages', instead of one per track (.jsonl)." };
        var passageSeconds = new Option<double?>("--passage-seconds") { Description = $"Passage length with --passages (default {PassagePlan.Default.LengthSeconds} s, the service's)." };
        var passageHop = new Option<double?>("--passage-hop") { Description = $"Seconds between passage starts with --passages (default {PassagePlan.Default.HopSeconds} s)." };
        var encoder = TrainingCliOptions.Encoder("Encoder preset for random:SEED.");
        var threads = TrainingCliOptions.Threads();
        var cache = TrainingCliOptions.Cache();
        var device = TrainingCliOptions.Device();
        var command = new Command("embed", "Compute embeddings of tracks with a trained model or a baseline.")
        {
            inputs, model, output, segments, passages, passageSeconds, passageHop, encoder, threads, cache, device,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(output) is { } o && !o.Name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) && !o.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                r.AddError($"--out must end in .jsonl or .csv (was {o.Name})");
            if (r.GetValue(passages) && r.GetValue(segments)) r.AddError("--segments and --passages exclude each other");
            if (r.GetValue(passages) && r.GetValue(output) is { } p && !p.Name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                r.AddError($"--passages writes .jsonl (was {p.Name})");
            if (r.GetValue(passages) && Plan(r.GetValue(passageSeconds), r.GetValue(passageHop)).Validate("passages").FirstOrDefault() is { } bad)
                r.AddError(bad.Replace("passages:LengthSeconds", "--passage-seconds").Replace("passages:HopSeconds", "--passage-hop").Replace("LengthSeconds", "--passage-seconds"));
            if (r.GetValue(passages) && r.GetValue(model) is { } m && m.StartsWith("random:", StringComparison.OrdinalIgnoreCase))
                r.AddError("--passages needs a model that embeds a clip as it embedded the library: a model folder or mfcc, not random:SEED");
        });
        command.SetAction(async (parse, ct) =>
        {
            var modelSpec = parse.GetValue(model)!;
            var outFile = parse.GetValue(output)!.FullName;
            if (parse.GetValue(threads) is { } n) TorchRuntime.Threads = n;
            // Fails on a missing model (or an unusable --device) before any decoding.
            var embedder = ModelSource.Parse(modelSpec, parse.GetValue(encoder)!, modelSpec.Equals("mfcc", StringComparison.OrdinalIgnoreCase)
                ? Torch.Device.Cpu : TrainingCliOptions.ReadDevice(parse, device));
            var (root, files, given) = Inputs(parse.GetValue(inputs)!);
            using var library = await LibraryLoader.LoadFilesAsync(root, files, parse.GetValue(cache), ct, given);
            var clock = Stopwatch.StartNew();
            using var source = embedder.Open(library.Tracks.Select(t => t.Features).ToList());
            var perSegment = parse.GetValue(segments);
            var perPassage = parse.GetValue(passages);
            var plan = Plan(parse.GetValue(passageSeconds), parse.GetValue(passageHop));
            var tracks = new List<TrackEmbedding>();
            var windows = new List<SegmentEmbedding>();
            var stretches = new List<PassageRecord>();
            for (var i = 0; i < library.Tracks.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var track = library.Tracks[i];
                var path = (given?.GetValueOrDefault(track.Path) ?? track.RelativePath).Replace(Path.DirectorySeparatorChar, '/');
                if (perSegment) windows.AddRange(source.Segments(i).Select(s => new SegmentEmbedding(path, s.StartSeconds, s.Embedding)));
                else if (perPassage) stretches.AddRange(source.Passages(i, plan).Select(p => new PassageRecord(path, p.Index, p.StartSeconds, p.EndSeconds, p.Vector)));
                else tracks.Add(new TrackEmbedding(path, source.Track(i)));
                if ((i + 1) % 50 == 0) Stderr.Line($"embedded {i + 1}/{library.Tracks.Count} tracks");
            }
            if (perSegment) SegmentFile.Write(outFile, source.Finish(windows));
            else if (perPassage) PassageFile.Write(outFile, stretches); // already standardised and normalised alike, clip or library
            else EmbeddingFile.Write(outFile, source.Finish(tracks));
            var count = perSegment ? windows.Count : perPassage ? stretches.Count : tracks.Count;
            Console.WriteLine($"wrote {count} {(perSegment ? "segment" : perPassage ? "passage" : "track")} embeddings ({source.Dimension}-d, {modelSpec}) to {outFile} in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return command;
    }

    private static PassagePlan Plan(double? seconds, double? hop) =>
        new(seconds ?? PassagePlan.Default.LengthSeconds, hop ?? PassagePlan.Default.HopSeconds);

    // One folder: paths relative to it. Otherwise files (and folders' files) keep the names the user gave them.
    private static (string Root, IReadOnlyList<string> Files, IReadOnlyDictionary<string, string>? Given) Inputs(string[] inputs)
    {
        if (inputs.Length == 1 && Directory.Exists(inputs[0]))
        {
            var folder = Path.GetFullPath(inputs[0]);
            var found = AudioFiles.Find(folder);
            if (found.Count == 0) throw new CliError($"no audio files under {inputs[0]}");
            return (folder, found, null);
        }
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                foreach (var f in AudioFiles.Find(input)) given.TryAdd(Path.GetFullPath(f), Path.Join(input, Path.GetRelativePath(input, f)));
            else if (File.Exists(input)) given.TryAdd(Path.GetFullPath(input), input);
            else throw new CliError($"no such file or folder: {input}");
        }
        if (given.Count == 0) throw new CliError("no audio files in the inputs");
        return (Directory.GetCurrentDirectory(), given.Keys.ToList(), given);
    }
}
