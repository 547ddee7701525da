using ConvEmbed.Model.Training;

namespace ConvEmbed.Model.Tests.Training;

/// <summary>Chunk views: pure host-side logic on small windows whose values say where they came from.</summary>
public sealed class ChunkAugmentationTests
{
    private const int Bands = 8, Frames = 40;

    /// <summary>Value = band·1000 + frame: every output value names its source cell.</summary>
    private static float[] Labelled(int windows = 1)
    {
        var x = new float[windows * Bands * Frames];
        for (var w = 0; w < windows; w++)
            for (var band = 0; band < Bands; band++)
                for (var t = 0; t < Frames; t++) x[(w * Bands + band) * Frames + t] = band * 1000 + t + w * 100_000;
        return x;
    }

    private static ChunkAugmentation Only(int chunks = 4, double gain = 0, double tilt = 0, int shift = 0, double stretch = 0, bool shuffle = false, double mixup = 0) =>
        new(chunks, normalisationStd: 1.0, gain, tilt, shift, stretch, shuffle, mixup);

    [Fact]
    public void EachChunkGetsItsOwnGainWithinTheBound()
    {
        var augmentation = Only(gain: 6);
        var x = new float[Bands * Frames];
        augmentation.Apply(x, 1, Bands, Frames, new Random(1));
        var bound = 6 / 10.0 * Math.Log(10);
        var offsets = Enumerable.Range(0, 4).Select(k =>
        {
            var (start, end) = augmentation.ChunkSpan(k, Frames);
            var value = x[start];
            for (var band = 0; band < Bands; band++)
                for (var t = start; t < end; t++) Assert.Equal(value, x[band * Frames + t]); // one offset over the chunk
            Assert.InRange(value, -bound, bound);
            return value;
        }).ToList();
        Assert.Equal(4, offsets.Distinct().Count()); // the chunks really differ
    }

    [Fact]
    public void TiltIsALineAcrossTheBandsWithinTheBound()
    {
        var x = new float[Bands * Frames];
        Only(chunks: 2, tilt: 6).Apply(x, 1, Bands, Frames, new Random(2));
        var bound = 6 / 10.0 * Math.Log(10);
        foreach (var t in new[] { 0, Frames - 1 })
        {
            var column = Enumerable.Range(0, Bands).Select(b => (double)x[b * Frames + t]).ToArray();
            var step = column[1] - column[0];
            for (var b = 1; b < Bands; b++) Assert.Equal(step, column[b] - column[b - 1], 4);
            Assert.Equal(0, column.Average(), 4); // centred: tilt changes the balance, not the level
            Assert.InRange(Math.Abs(column[^1] - column[0]), 1e-6, bound);
        }
    }

    [Fact]
    public void ShuffleMovesWholeChunksAndKeepsEveryOne()
    {
        var augmentation = Only(chunks: 4, shuffle: true);
        var x = Labelled();
        augmentation.Apply(x, 1, Bands, Frames, new Random(3));
        var sources = new List<int>();
        for (var k = 0; k < 4; k++)
        {
            var (start, end) = augmentation.ChunkSpan(k, Frames);
            var first = (int)x[start] % 1000;
            for (var band = 0; band < Bands; band++)
                for (var t = start; t < end; t++) Assert.Equal(band * 1000 + first + (t - start), x[band * Frames + t]);
            sources.Add(first / (Frames / 4));
        }
        Assert.Equal([0, 1, 2, 3], sources.Order());
        Assert.NotEqual([0, 1, 2, 3], sources); // seed 3 does reorder
    }

    [Fact]
    public void MelShiftMovesEveryBandOfAChunkByTheSameBinsAndRepeatsTheEdge()
    {
        var augmentation = Only(chunks: 4, shift: 2);
        var x = Labelled();
        augmentation.Apply(x, 1, Bands, Frames, new Random(4));
        var shifts = new HashSet<int>();
        for (var k = 0; k < 4; k++)
        {
            var (start, end) = augmentation.ChunkSpan(k, Frames);
            var shift = (int)x[3 * Frames + start] / 1000 - 3;
            Assert.InRange(shift, -2, 2);
            shifts.Add(shift);
            for (var band = 0; band < Bands; band++)
                for (var t = start; t < end; t++) Assert.Equal(Math.Clamp(band + shift, 0, Bands - 1) * 1000 + t, x[band * Frames + t]);
        }
        Assert.True(shifts.Count > 1);
    }

    [Fact]
    public void StretchReadsFramesAroundTheChunksCentreAtItsRate()
    {
        var augmentation = Only(chunks: 2, stretch: 0.2);
        var x = Labelled();
        augmentation.Apply(x, 1, Bands, Frames, new Random(5));
        for (var k = 0; k < 2; k++)
        {
            var (start, end) = augmentation.ChunkSpan(k, Frames);
            var read = Enumerable.Range(start, end - start).Select(t => (int)x[t]).ToArray(); // band 0: the source frame
            Assert.All(read.Zip(read.Skip(1)), p => Assert.True(p.Second >= p.First)); // in time order
            Assert.InRange(read[read.Length / 2], (start + end) / 2 - 2, (start + end) / 2 + 2);
            var rate = (double)(read[^1] - read[0]) / (read.Length - 1);
            Assert.InRange(rate, 0.75, 1.25);
            for (var band = 1; band < Bands; band++)
                for (var t = start; t < end; t++) Assert.Equal(band * 1000 + read[t - start], x[band * Frames + t]);
        }
    }

    [Fact]
    public void MixupMixesInPowerWithAWindowOfThePreviousBatch()
    {
        const float sigma = 2.5f;
        var augmentation = new ChunkAugmentation(2, sigma, gainDb: 0, tiltDb: 0, melShift: 0, stretch: 0, shuffle: false, mixup: 0.5);
        var first = new float[2 * Bands * Frames]; // zeros: ln-power μ everywhere
        augmentation.Apply(first, 2, Bands, Frames, new Random(6));
        Assert.All(first, v => Assert.Equal(0f, v)); // nothing to mix with yet: unchanged

        // Values that differ cell by cell, so a wrong σ or a mix in the log domain shows as λs that disagree.
        var drawn = new float[2 * Bands * Frames];
        for (var i = 0; i < drawn.Length; i++) drawn[i] = 0.5f + (i % 97) / 97f;
        var second = (float[])drawn.Clone();
        augmentation.Apply(second, 2, Bands, Frames, new Random(7));

        // Mixed with the first batch's zeros: x' = ln((1 − λ)e^{σx} + λ) / σ, so λ = (e^{σx} − e^{σx'}) / (e^{σx} − 1),
        // one λ in [0, 0.5) per chunk.
        for (var w = 0; w < 2; w++)
            for (var k = 0; k < 2; k++)
            {
                var (start, end) = augmentation.ChunkSpan(k, Frames);
                var lambdas = new List<double>();
                for (var band = 0; band < Bands; band++)
                    for (var t = start; t < end; t++)
                    {
                        var i = (w * Bands + band) * Frames + t;
                        double a = Math.Exp(sigma * drawn[i]), mixed = Math.Exp(sigma * second[i]);
                        lambdas.Add((a - mixed) / (a - 1));
                    }
                Assert.InRange(lambdas[0], 0, 0.5);
                Assert.All(lambdas, l => Assert.Equal(lambdas[0], l, 3));
            }
        Assert.Contains(second.Zip(drawn), p => p.First < p.Second - 1e-3); // something was mixed
    }

    [Fact]
    public void TheSameSeedGivesTheSameViews()
    {
        var augmentation = new ChunkAugmentation(4, 1.0);
        float[] a = Labelled(3), b = Labelled(3);
        augmentation.Apply(a, 3, Bands, Frames, new Random(9));
        new ChunkAugmentation(4, 1.0).Apply(b, 3, Bands, Frames, new Random(9));
        Assert.Equal(a, b);
        Assert.NotEqual(Labelled(3), a);
    }

    [Theory]
    [InlineData(0, 0.1, 0.0)]
    [InlineData(4, 0.5, 0.0)]
    [InlineData(4, 0.1, 1.0)]
    public void ImpossibleSettingsAreRefused(int chunks, double stretch, double mixup) =>
        Assert.Throws<ArgumentException>(() => new ChunkAugmentation(chunks, 1.0, stretch: stretch, mixup: mixup).Validate());
}
