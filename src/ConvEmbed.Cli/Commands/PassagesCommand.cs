using System.CommandLine;
using System.Globalization;
using ConvEmbed.Cli.Library;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Cli.Commands;

/// <summary>
/// `convembed passages PASSAGES.jsonl CLIP --model DIR|mfcc [--k 10] [--per-track 1]`: where in the embedded files a clip
/// occurs — the service's passage search, offline and exact (every alignment of every file is scored).
/// </summary>
public static class PassagesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("passages") { Description = "Passages from 'convembed embed --passages' (.jsonl)." };
        var clip = new Argument<FileInfo>("clip") { Description = "The audio to look for: at least one passage long." };
        var model = new Option<string>("--model") { Description = "The model that wrote the passages: a model folder or mfcc.", Required = true };
        var k = new Option<int>("--k") { Description = "How many stretches to list.", DefaultValueFactory = _ => 10 };
        var perTrack = new Option<int>("--per-track") { Description = "At most this many stretches of one file.", DefaultValueFactory = _ => 1 };
        var cache = TrainingCliOptions.Cache();
        var device = TrainingCliOptions.Device();
        var command = new Command("passages", "Find where a clip occurs in embedded files (passages matched as a sequence), best first.")
        {
            file, clip, model, k, perTrack, cache, device,
        };
        OptionChecks.Must(k, v => v is >= 1 and <= 1000, "must be between 1 and 1000");
        OptionChecks.Must(perTrack, v => v is >= 1 and <= 100, "must be between 1 and 100");
        command.SetAction(async (parse, ct) =>
        {
            var spec = parse.GetValue(model)!;
            if (spec.StartsWith("random:", StringComparison.OrdinalIgnoreCase))
                throw new CliError("passages need a model folder or mfcc: a random encoder normalises by its library, so a clip alone would not match");
            var input = parse.GetValue(file)!;
            if (!input.Exists) throw new CliError($"no such file: {input.FullName}");
            IReadOnlyList<PassageRecord> stored;
            PassagePlan plan;
            try { (stored, plan) = PassageFile.Read(input.FullName); }
            catch (InvalidDataException e) { throw new CliError(e.Message); }
            var audio = parse.GetValue(clip)!;
            if (!audio.Exists) throw new CliError($"no such file: {audio.FullName}");

            var source = ModelSource.Parse(spec, EncoderConfig.DefaultPreset, spec.Equals("mfcc", StringComparison.OrdinalIgnoreCase)
                ? Torch.Device.Cpu : TrainingCliOptions.ReadDevice(parse, device));
            using var library = await LibraryLoader.LoadFilesAsync(audio.DirectoryName!, [audio.FullName], parse.GetValue(cache), ct,
                new Dictionary<string, string> { [audio.FullName] = audio.Name });
            var seconds = library.Tracks[0].Features.Frames / EncoderConfig.FramesPerSecond;
            if (seconds + 1e-6 < plan.LengthSeconds)
                throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{audio.Name} is {seconds:0.##} s long; a search needs at least one passage ({plan.LengthSeconds:0.##} s)"));
            using var session = source.Open(library.Tracks.Select(t => t.Features).ToList());
            var query = session.Passages(0, plan).Select(p => p.Vector).ToList();
            if (query[0].Length != stored[0].Embedding.Length)
                throw new CliError($"the model gives {query[0].Length}-d vectors, {input.Name} holds {stored[0].Embedding.Length}-d ones: embed with the model that wrote it");

            var separation = PassageSequence.Separation(query.Count, plan);
            var hits = stored.GroupBy(p => p.Path).SelectMany(g =>
            {
                var ordered = new float[]?[g.Max(p => p.Index) + 1];
                foreach (var p in g) ordered[p.Index] = p.Embedding;
                var end = g.Max(p => p.EndSeconds);
                return PassageSequence.Best(PassageSequence.AllOffsets(query, ordered), parse.GetValue(perTrack), separation)
                    .Select(m => (Path: g.Key, m.Score, Span: PassageSequence.Span(m.Offset, query.Count, plan, end)));
            }).OrderByDescending(h => h.Score).ThenBy(h => h.Path, StringComparer.Ordinal).Take(parse.GetValue(k)).ToList();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{audio.Name}: {query.Count} passages ({plan}) against {stored.Count} passages of {stored.Select(p => p.Path).Distinct().Count()} files"));
            foreach (var (h, rank) in hits.Select((h, i) => (h, i + 1)))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rank,3}. {h.Score:0.000}  {Clock(h.Span.Start)}–{Clock(h.Span.End)}  {h.Path}"));
            return 0;
        });
        return command;
    }

    private static string Clock(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}:{seconds % 60:00.0}");
}
