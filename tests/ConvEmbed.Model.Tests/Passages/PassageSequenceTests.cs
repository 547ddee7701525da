using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;

namespace ConvEmbed.Model.Tests.Passages;

/// <summary>Sequence matching of passages, against brute force on small inputs.</summary>
public sealed class PassageSequenceTests
{
    private static float[] Unit(Random random, int d = 24) =>
        EmbeddingNormalisation.Normalise(Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());

    private static float[] Noisy(float[] v, Random random, double noise) =>
        EmbeddingNormalisation.Normalise(v.Select(x => (float)(x + noise * (random.NextDouble() * 2 - 1))).ToArray());

    [Fact]
    public void AnExcerptIsFoundWhereItsWholeSequenceAgreesNotWhereOnePassageDoes()
    {
        var random = new Random(1);
        var track = Enumerable.Range(0, 30).Select(_ => Unit(random)).ToList();
        var query = track.Skip(12).Take(5).Select(v => Noisy(v, random, 0.2)).ToList();
        // A decoy: one passage elsewhere that equals a query passage exactly.
        track[3] = query[0];

        var all = PassageSequence.AllOffsets(query, track).ToList();
        Assert.Equal(30 + 5 - 1, all.Count);
        var best = all.MaxBy(s => s.Score);
        Assert.Equal(12, best.Offset);
        Assert.True(all.Single(s => s.Offset == 3).Score < best.Score - 0.3);

        // Brute force: the same score by hand.
        var byHand = Enumerable.Range(0, 5).Sum(i => query[i].Zip(track[12 + i], (a, b) => (double)a * b).Sum()) / 5;
        Assert.Equal(byHand, best.Score, 5);
    }

    [Fact]
    public void PassagesOutsideTheTrackCountZero()
    {
        var random = new Random(2);
        var track = Enumerable.Range(0, 4).Select(_ => Unit(random)).ToList();
        var query = track.Select(v => v).ToList();
        Assert.Equal(1.0, PassageSequence.Score(query, j => j >= 0 && j < 4 ? track[j] : null, 0), 5);
        Assert.Equal(0.5, PassageSequence.Score(query, j => j >= 0 && j < 4 ? track[j] : null, 2) + 0.5
                          - query.Take(2).Select((q, i) => q.Zip(track[2 + i], (a, b) => (double)a * b).Sum()).Sum() / 4, 5);
    }

    [Fact]
    public void BestKeepsApartAlignmentsOnly()
    {
        var scored = new[] { new SequenceMatch(10, 0.9), new SequenceMatch(11, 0.89), new SequenceMatch(14, 0.8), new SequenceMatch(30, 0.7) };
        Assert.Equal([10, 14, 30], PassageSequence.Best(scored, 5, separation: 4).Select(s => s.Offset));
        Assert.Equal([10, 30], PassageSequence.Best(scored, 5, separation: 5).Select(s => s.Offset));
        Assert.Equal([10], PassageSequence.Best(scored, 1, separation: 5).Select(s => s.Offset));
    }

    [Fact]
    public void SeparationAndSpanFollowThePlan()
    {
        var plan = PassagePlan.Default;
        Assert.Equal(5, PassageSequence.Separation(5, plan));
        Assert.Equal(2, PassageSequence.Separation(1, plan)); // one passage overlaps the next by half
        Assert.Equal((18.0, 27.0), PassageSequence.Span(12, 5, plan, 100));
        Assert.Equal((0.0, 6.0), PassageSequence.Span(-2, 5, plan, 100)); // passages 0..2 of the track: 0 s to 3 s + 3 s
        Assert.Equal((18.0, 20.0), PassageSequence.Span(12, 5, plan, 20));
    }
}
