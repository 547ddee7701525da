using System.CommandLine;
using ConvEmbed.Cli.Library;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Playlists;

namespace ConvEmbed.Cli.Commands;

/// <summary>`convembed radio FILE --seed PATH… --out radio.m3u8`: the service's radio over an embeddings file, offline.</summary>
public static class RadioCommand
{
    public static Command Create()
    {
        var input = new EmbeddingsInput();
        var seeds = new Option<string[]>("--seed") { Description = "A track to sound like: its path as in the embeddings file, or its file name (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--count") { Description = "Tracks in the playlist.", DefaultValueFactory = _ => RadioRules.DefaultCount };
        var diversity = new Option<double>("--diversity") { Description = "0: the nearest tracks; up to 1: each next track unlike those already picked.", DefaultValueFactory = _ => RadioRules.DefaultDiversity };
        var perLabel = new Option<int?>("--max-per-label") { Description = "At most this many tracks per label (with --labels or --labels-from-folders: e.g. per artist)." };
        var output = new Option<FileInfo>("--out") { Description = "radio.m3u8: entries are the paths as in the embeddings file.", Required = true };
        var command = new Command("radio", "A playlist of the tracks of an embeddings file that sound like the seeds (maximal marginal relevance), as M3U8.")
        {
            seeds, count, diversity, perLabel, output,
        };
        input.AddTo(command, labelsRequired: false);
        OptionChecks.Must(count, v => v is >= 1 and <= 500, "must be between 1 and 500");
        OptionChecks.Must(diversity, v => v is >= 0 and <= 1, "must be between 0 and 1");
        OptionChecks.Must(perLabel, v => v is null or >= 1, "must be at least 1");
        command.Validators.Add(r =>
        {
            if (r.GetValue(output) is { } o && !o.Name.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) && !o.Name.EndsWith(".m3u", StringComparison.OrdinalIgnoreCase))
                r.AddError($"--out must end in .m3u8 or .m3u (was '{o.Name}')");
        });
        command.SetAction(parse =>
        {
            var embeddings = input.Read(parse, "a radio");
            var labels = input.Labels(parse, embeddings);
            var tracks = embeddings.Select((e, i) => (e.Path, Vector: EmbeddingNormalisation.Normalise(e.Embedding), Label: labels?[i])).ToList();
            var seedTracks = parse.GetValue(seeds)!.Select(s => Find(tracks.Select(t => t.Path).ToList(), s)).Distinct().Select(i => tracks[i]).ToList();

            var mean = new float[seedTracks[0].Vector.Length];
            foreach (var s in seedTracks)
                for (var d = 0; d < mean.Length; d++) mean[d] += s.Vector[d];
            var query = EmbeddingNormalisation.Normalise(mean);
            RadioCandidate Candidate((string Path, float[] Vector, string? Label) t) =>
                new(t.Path, Path.GetFileNameWithoutExtension(t.Path), t.Label, null, t.Vector, RadioPicker.Dot(t.Vector, query));
            var rules = new RadioRules(parse.GetValue(count), parse.GetValue(perLabel), null, new HashSet<string>(), parse.GetValue(diversity),
                RadioRules.DefaultDuplicateSimilarity);
            var picked = RadioPicker.Pick(tracks.Select(Candidate).OrderByDescending(c => c.SeedSimilarity).Take(1000).ToList(),
                seedTracks.Select(Candidate).ToList(), rules);

            var target = parse.GetValue(output)!;
            if (target.DirectoryName is { } folder) Directory.CreateDirectory(folder);
            File.WriteAllText(target.FullName, M3u8Playlist.Write(picked.Select(c => new M3u8Playlist.Entry(null, c.Artist, c.Title, c.Id))));
            Console.WriteLine($"wrote {target.FullName} ({picked.Count} tracks like {string.Join(", ", seedTracks.Select(s => s.Path))})");
            return 0;
        });
        return command;
    }

    /// <summary>The track a seed names: its path exactly, else the one track with that file name.</summary>
    private static int Find(IReadOnlyList<string> paths, string seed)
    {
        var exact = paths.ToList().IndexOf(seed);
        if (exact >= 0) return exact;
        var byName = paths.Select((p, i) => (p, i)).Where(x => Path.GetFileName(x.p) == seed || Path.GetFileNameWithoutExtension(x.p) == seed).ToList();
        return byName.Count switch
        {
            1 => byName[0].i,
            0 => throw new CliError($"--seed '{seed}' is not a track of the embeddings file"),
            _ => throw new CliError($"--seed '{seed}' names {byName.Count} tracks; give its path ({byName[0].p}, {byName[1].p}, …)"),
        };
    }
}
