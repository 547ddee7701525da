using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Observability;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Passages;

/// <summary>One found stretch of a track.</summary>
/// <param name="TrackId">The track.<example>0193a1c2-7d4e-7f00-8a1b-2c3d4e5f6a7b</example></param>
/// <param name="Title">Its title.<example>Forest theme</example></param>
/// <param name="Artist">Its artist, when known.<example>Ann Example</example></param>
/// <param name="Start">Where the stretch starts in the track, in seconds.<example>83.5</example></param>
/// <param name="End">Where it ends, in seconds.<example>93.5</example></param>
/// <param name="Similarity">Mean cosine similarity of the clip's passages with the stretch's, in order (−1..1).<example>0.93</example></param>
/// <param name="AudioUrl">The track's audio from the start of the stretch (a media fragment players and browsers follow).<example>/tracks/0193a1c2-7d4e-7f00-8a1b-2c3d4e5f6a7b/audio#t=83.5</example></param>
public sealed record PassageHit(Guid TrackId, string Title, string? Artist, double Start, double End, double Similarity, string AudioUrl);

/// <summary>Found passages, best first.</summary>
/// <param name="ModelId">The model whose passages were searched.<example>2</example></param>
/// <param name="Passages">How many passages of the clip (or of the stored stretch) were matched in a row.<example>5</example></param>
/// <param name="Items">The stretches found.</param>
public sealed record PassageMatches(long ModelId, int Passages, IReadOnlyList<PassageHit> Items);

/// <summary>
/// Finds where a sequence of passage vectors (a clip's, or a stored stretch's) occurs in the library: the query's
/// passages ask the model's HNSW index (of the passages that tile each track) for their nearest stored passages (more
/// when they come from fewer tracks than could be returned: a track's own passages are alike, so they crowd each other
/// in); every hit proposes an alignment (its track, offset = hit − query position); for the tracks the hits speak for
/// most, every alignment from two clip lengths before the first proposed one to two clip lengths after the last is
/// scored exactly as a sequence
/// (<see cref="PassageSequence"/>) over the stored passages, and the best per track (at most <c>perTrack</c>, apart by
/// the clip's length) are returned.
/// </summary>
public sealed class PassageSearch(PassageStore store, IOptions<PassageOptions> options)
{
    /// <summary>Candidates per asking passage in each round (the second only when the first names too few tracks).</summary>
    private int[] Rounds => [options.Value.Candidates, 4 * options.Value.Candidates];

    /// <summary>Clip passages that ask the index at most.</summary>
    private const int MaxProbes = 8;

    /// <param name="exclude">Leave these passages of a track out (the stretch a stored query came from): alignments that
    /// overlap it are not returned.</param>
    /// <param name="timings">Where the time went (a Server-Timing header): the index's rounds, reading, scoring.</param>
    public async Task<IReadOnlyList<PassageHit>> FindAsync(ActiveModel model, PassagePlan plan, IReadOnlyList<float[]> query, int k, int perTrack,
        Guid? excludeTrack, (Guid TrackId, int From, int To)? exclude, string pathBase, CancellationToken ct, ServerTimings? timings = null)
    {
        var m = query.Count;
        var separation = PassageSequence.Separation(m, plan);
        // An alignment is left out when its stretch shares audio with the excluded one (passages overlap each other).
        bool Excluded(Guid track, int offset) =>
            exclude is { } x && x.TrackId == track
                             && plan.StartSeconds(offset) < plan.StartSeconds(x.To) + plan.LengthSeconds
                             && plan.StartSeconds(x.From) < plan.StartSeconds(offset + m - 1) + plan.LengthSeconds;

        // Tracks to score exactly: five times as many as could be returned, ranked by the evidence the hits give for
        // a sequence — for each clip passage its best hit in the track (0 without one), summed: an upper bound of the
        // track's best sequence score as far as the hits know it. The index is asked again, wider, only when its hits
        // name fewer than three times as many.
        var toScore = Math.Max(10, 5 * k * perTrack);
        var enough = Math.Max(10, 3 * k * perTrack);
        // Every query passage asks the index (at most eight, spread over a long clip): the index holds passages that tile
        // a track (every other one at the default plan), and where a track plays the query is unknown to the hop, so
        // neighbouring query passages are the two phases — one of them lies within a quarter passage of a tile.
        var probes = Enumerable.Range(0, m).ToList();
        if (probes.Count > MaxProbes) probes = Enumerable.Range(0, MaxProbes).Select(j => probes[j * (probes.Count - 1) / (MaxProbes - 1)]).Distinct().ToList();
        List<(Guid Track, int From, int To)> tracks = [];
        foreach (var perQuery in Rounds)
        {
            using var round = timings?.Measure($"index{perQuery}");
            var found = await store.CandidatesAsync(model, probes.Select(i => query[i]).ToList(), perQuery, excludeTrack, ct);
            var candidates = found.Select(c => c with { Query = probes[c.Query] }).ToList();
            tracks = candidates
                .Where(c => !Excluded(c.TrackId, c.Seq - c.Query))
                .GroupBy(c => c.TrackId)
                .OrderByDescending(t => t.GroupBy(c => c.Query).Sum(q => q.Max(c => c.Similarity)))
                .Take(toScore)
                .Select(t => (t.Key, t.Min(c => c.Seq - c.Query) - 2 * m, t.Max(c => c.Seq - c.Query) + 3 * m - 1))
                .ToList();
            if (tracks.Count >= enough || candidates.Count < probes.Count * perQuery) break; // enough tracks, or the library has no more
        }
        if (tracks.Count == 0) return [];

        Dictionary<Guid, float[]?[]> stored;
        Dictionary<Guid, (string Title, string? Artist, double Duration)> info;
        using (timings?.Measure("read"))
        {
            // Both on their own connections at once: the tracks' titles do not wait for their passages.
            var reading = store.ReadRangesAsync(model.Id, tracks, ct);
            var naming = store.TracksAsync(tracks.Select(t => t.Track).ToList(), ct);
            (stored, info) = (await reading, await naming);
        }
        using var scoring = timings?.Measure("score");
        var windows = tracks.ToDictionary(t => t.Track, t => (t.From, t.To));
        var hits = new List<(Guid Track, SequenceMatch Match)>();
        foreach (var (track, passages) in stored)
        {
            if (!info.ContainsKey(track)) continue; // deleted meanwhile
            // Only alignments whose passages were all read (or lie outside the track) are scored: no score is a guess.
            var (from, to) = windows[track];
            var last = passages.Length - 1; // the track's last passage when the window reached past it
            bool Read(int offset) => (from <= 0 || offset >= from) && (to > last || offset + m - 1 <= to);
            var scored = PassageSequence.AllOffsets(query, passages).Where(s => Read(s.Offset) && !Excluded(track, s.Offset));
            hits.AddRange(PassageSequence.Best(scored, perTrack, separation).Select(s => (track, s)));
        }
        return hits.OrderByDescending(h => h.Match.Score).ThenBy(h => h.Track).ThenBy(h => h.Match.Offset).Take(k)
            .Select(h =>
            {
                var (title, artist, duration) = info[h.Track];
                var (start, end) = PassageSequence.Span(h.Match.Offset, m, plan, duration);
                return new PassageHit(h.Track, title, artist, start, end, Math.Round(h.Match.Score, 6),
                    FormattableString.Invariant($"{pathBase}/tracks/{h.Track}/audio#t={start:0.###}"));
            })
            .ToList();
    }
}
