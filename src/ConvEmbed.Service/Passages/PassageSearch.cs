using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;

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
/// Finds where a sequence of passage vectors (a clip's, or a stored stretch's) occurs in the library: each query
/// passage asks the model's HNSW index for its nearest stored passages (more when they come from too few tracks: a
/// track's own passages are alike, so they crowd each other in); every hit proposes an alignment (its track, offset =
/// hit − query position); for the tracks whose alignments the hits support most, every alignment from two clip lengths
/// before the first proposed one to two clip lengths after the last is scored exactly as a sequence
/// (<see cref="PassageSequence"/>) over the stored passages, and the best per track (at most <c>perTrack</c>, apart by
/// the clip's length) are returned.
/// </summary>
public sealed class PassageSearch(PassageStore store)
{
    /// <summary>Candidates per query passage in each round (the first costs no more than the index's ef_search of 100 does anyway).</summary>
    private static readonly int[] Rounds = [100, 400, 1000];

    /// <param name="exclude">Leave these passages of a track out (the stretch a stored query came from): alignments that
    /// overlap it are not returned.</param>
    public async Task<IReadOnlyList<PassageHit>> FindAsync(ActiveModel model, PassagePlan plan, IReadOnlyList<float[]> query, int k, int perTrack,
        Guid? excludeTrack, (Guid TrackId, int From, int To)? exclude, string pathBase, CancellationToken ct)
    {
        var m = query.Count;
        var separation = PassageSequence.Separation(m, plan);
        // An alignment is left out when its stretch shares audio with the excluded one (passages overlap each other).
        bool Excluded(Guid track, int offset) =>
            exclude is { } x && x.TrackId == track
                             && plan.StartSeconds(offset) < plan.StartSeconds(x.To) + plan.LengthSeconds
                             && plan.StartSeconds(x.From) < plan.StartSeconds(offset + m - 1) + plan.LengthSeconds;

        // Tracks to score exactly: twice as many as could be returned, ranked by their best-supported alignment.
        var wanted = Math.Max(10, 2 * k * perTrack);
        List<(Guid Track, int From, int To)> tracks = [];
        foreach (var perQuery in Rounds)
        {
            var candidates = await store.CandidatesAsync(model, query, perQuery, excludeTrack, ct);
            tracks = candidates
                .GroupBy(c => (c.TrackId, Offset: c.Seq - c.Query))
                .Where(g => !Excluded(g.Key.TrackId, g.Key.Offset))
                .GroupBy(g => g.Key.TrackId, g => (g.Key.Offset, Support: g.Sum(c => c.Similarity)))
                .OrderByDescending(t => t.Max(a => a.Support))
                .Take(wanted)
                .Select(t => (t.Key, t.Min(a => a.Offset) - 2 * m, t.Max(a => a.Offset) + 3 * m - 1))
                .ToList();
            if (tracks.Count >= wanted || candidates.Count < query.Count * perQuery) break; // enough tracks, or the library has no more
        }
        if (tracks.Count == 0) return [];

        var stored = await store.ReadRangesAsync(model.Id, tracks, ct);
        var info = await store.TracksAsync(stored.Keys, ct);
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
