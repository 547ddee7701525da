using System.Numerics.Tensors;

namespace ConvEmbed.Model.Passages;

/// <summary>An alignment of a clip with a track: clip passage i lies on the track's passage Offset + i.</summary>
public readonly record struct SequenceMatch(int Offset, double Score);

/// <summary>
/// Matching a clip's passages q₀…q_{m−1} against a track's passages p₀…p_{n−1} as a sequence (docs/passages.md): the
/// alignment at offset o scores the mean of cos(qᵢ, p_{o+i}) over all m clip passages, a clip passage that falls
/// outside the track counting 0 — so a 20-s excerpt is found where 20 s in a row agree, not where one passage
/// happens to resemble one of the clip's, and a whole overlap beats a partial one of the same quality. Vectors are
/// ℓ2-normalised, so a dot product is the cosine.
/// </summary>
public static class PassageSequence
{
    /// <summary>The score of one alignment; <paramref name="passage"/> gives the track's passage by index (null outside it).</summary>
    public static double Score(IReadOnlyList<float[]> query, Func<int, float[]?> passage, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfZero(query.Count);
        double sum = 0;
        for (var i = 0; i < query.Count; i++)
            if (passage(offset + i) is { } p) sum += TensorPrimitives.Dot(query[i], p);
        return sum / query.Count;
    }

    /// <summary>Every alignment of the clip with a track of <paramref name="track"/>'s passages that overlaps it at all (a missing
    /// passage counts 0).</summary>
    public static IEnumerable<SequenceMatch> AllOffsets(IReadOnlyList<float[]> query, IReadOnlyList<float[]?> track)
    {
        float[]? At(int j) => j >= 0 && j < track.Count ? track[j] : null;
        for (var offset = 1 - query.Count; offset < track.Count; offset++)
            yield return new SequenceMatch(offset, Score(query, At, offset));
    }

    /// <summary>The best alignments within one track, best first, at most <paramref name="limit"/>, any two at least
    /// <paramref name="separation"/> passages apart (a found stretch is reported once, not again one hop later).</summary>
    public static List<SequenceMatch> Best(IEnumerable<SequenceMatch> scored, int limit, int separation)
    {
        var picked = new List<SequenceMatch>();
        foreach (var match in scored.OrderByDescending(s => s.Score).ThenBy(s => s.Offset))
        {
            if (picked.Count == limit) break;
            if (picked.TrueForAll(p => Math.Abs(p.Offset - match.Offset) >= separation)) picked.Add(match);
        }
        return picked;
    }

    /// <summary>How far apart two reported alignments of one track are at least: the clip's length in passages, and
    /// never less than one passage's length in hops (passages overlap).</summary>
    public static int Separation(int queryPassages, PassagePlan plan) =>
        Math.Max(queryPassages, (int)Math.Ceiling(plan.LengthSeconds / plan.HopSeconds - 1e-9));

    /// <summary>The stretch of the track an alignment covers, in seconds, clipped to the track.</summary>
    public static (double Start, double End) Span(int offset, int queryPassages, PassagePlan plan, double trackSeconds)
    {
        var start = Math.Max(0, plan.StartSeconds(offset));
        var end = Math.Min(trackSeconds, plan.StartSeconds(offset + queryPassages - 1) + plan.LengthSeconds);
        return (Math.Round(start, 3), Math.Round(Math.Max(end, start), 3));
    }
}
