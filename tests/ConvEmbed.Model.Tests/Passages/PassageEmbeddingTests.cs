using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Embeddings;
using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Passages;
using ConvEmbed.Torch;

namespace ConvEmbed.Model.Tests.Passages;

/// <summary>Passage vectors: the plan's arithmetic, and each passage equals the mean of exactly the last layer's positions
/// (or the MFCC statistics of exactly the frames) it covers, from the same pass that gives the unchanged track vector.</summary>
[Collection(LibtorchRandomness.Name)]
public sealed class PassageEmbeddingTests
{
    private static readonly PassagePlan Plan = PassagePlan.Default; // 300 frames, hop 150

    [Theory]
    [InlineData(2000, 12, 1950)] // 20 s: starts 0 … 16.5 s, the last ends at 19.5 s
    [InlineData(300, 1, 300)]
    [InlineData(449, 1, 300)] // a second passage would end after the track
    [InlineData(450, 2, 450)]
    [InlineData(250, 1, 250)] // shorter than one passage: one passage of all of it
    public void APlanCutsWholePassagesEveryHop(int frames, int count, int lastEnd)
    {
        Assert.Equal(count, Plan.Count(frames));
        var (start, length) = Plan.Frames(count - 1, frames);
        Assert.Equal(lastEnd, start + length);
        Assert.Equal((count - 1) * 1.5, Plan.StartSeconds(count - 1), 9);
    }

    [Theory]
    [InlineData(3, 1.5, 2)] // the default: 3-s passages every 3 s are indexed
    [InlineData(3, 1, 3)]
    [InlineData(3, 2, 1)] // every 4 s would leave a second out: all are indexed
    [InlineData(3, 3, 1)]
    [InlineData(4, 1.3, 3)]
    public void TheIndexedPassagesTileATrackWithoutGaps(double length, double hop, int stride)
    {
        var plan = new PassagePlan(length, hop);
        Assert.Equal(stride, plan.IndexStride);
        Assert.True(plan.IndexStride * plan.HopSeconds <= plan.LengthSeconds + 1e-9); // no gap between indexed passages
        Assert.True((plan.IndexStride + 1) * plan.HopSeconds > plan.LengthSeconds); // and none indexed that another covers
    }

    [Fact]
    public void BadPlansAreNamed()
    {
        Assert.Contains(new PassagePlan(0.5, 0.5).Validate("P"), e => e.StartsWith("P:LengthSeconds", StringComparison.Ordinal));
        Assert.Contains(new PassagePlan(3, 4).Validate("P"), e => e.StartsWith("P:HopSeconds", StringComparison.Ordinal));
        Assert.Empty(Plan.Validate("P"));
    }

    [Theory]
    [InlineData(600)] // one window
    [InlineData(1000)] // a whole window and a tail only an end-aligned window covers
    [InlineData(1350)]
    public void EncoderPassagesAreTheMeanOfTheirPositionsAndTheTrackVectorIsUnchanged(int frames)
    {
        Torch.Torch.manual_seed(11);
        using var encoder = new Encoder(EncoderConfig.FromPreset("rf0.1", channels: 16));
        encoder.eval();
        var normalisation = new NormalisationConfig(-4, 2);
        var embedder = new TrackEmbedder(encoder, normalisation, windowFrames: 600, batchWindows: 2);
        var mel = RandomMel(frames, seed: frames);

        var vectors = embedder.EmbedWithPassages(mel, Plan);

        Assert.Equal(embedder.Embed(mel), vectors.Track);
        Assert.Equal(Enumerable.Range(0, Plan.Count(frames)), vectors.Passages.Select(p => p.Index));
        var windowStarts = frames % 600 == 0 ? Enumerable.Range(0, frames / 600).Select(w => w * 600).ToList()
            : Enumerable.Range(0, frames / 600).Select(w => w * 600).Append(frames - 600).ToList();
        foreach (var passage in vectors.Passages)
        {
            // Expected: positions of the window that first covers them (centre = start + 4p + 2), centre inside the passage.
            var (first, length) = Plan.Frames(passage.Index, frames);
            var sum = new float[16];
            var covered = 0;
            foreach (var start in windowStarts)
            {
                var positions = Positions(encoder, mel, start, normalisation);
                for (var p = 0; p < positions.Length; p++)
                {
                    var centre = start + 4 * p + 2;
                    if (centre < covered || centre < first || centre >= first + length) continue;
                    for (var c = 0; c < 16; c++) sum[c] += positions[p][c];
                }
                covered = start + 600;
            }
            var expected = EmbeddingNormalisation.Normalise(sum);
            for (var c = 0; c < 16; c++) Assert.Equal(expected[c], passage.Vector[c], 4);
            Assert.Equal(first / 100.0, passage.StartSeconds, 9);
            Assert.Equal((first + length) / 100.0, passage.EndSeconds, 9);
        }
    }

    [Fact]
    public void MfccPassagesAreTheStatisticsOfTheirFrames()
    {
        var model = new MfccModel(MfccStandardisation.FromReferenceSet);
        var mel = RandomMel(700, seed: 3);
        var vectors = model.EmbedWithPassages(mel, Plan);
        Assert.Equal(model.Embed(mel), vectors.Track);
        Assert.Equal(3, vectors.Passages.Count);
        var (start, frames) = Plan.Frames(2, 700);
        var slice = new float[64 * frames];
        for (var band = 0; band < 64; band++) Array.Copy(mel.Values, band * 700 + start, slice, band * frames, frames);
        var statistics = MfccStatistics.Compute(slice, 64, frames);
        var by = MfccStandardisation.ForPassages(300);
        var alone = EmbeddingNormalisation.Normalise(statistics.Select((v, i) => (v - by.Mean[i]) / by.Std[i]).ToArray());
        Assert.Equal(alone, vectors.Passages[2].Vector);
        Assert.NotEqual(vectors.Passages[0].Vector, vectors.Passages[2].Vector);
    }

    private static float[][] Positions(Encoder encoder, LogMel mel, int start, NormalisationConfig n)
    {
        var input = new float[64 * 600];
        for (var band = 0; band < 64; band++)
            for (var t = 0; t < 600; t++) input[band * 600 + t] = (float)((mel.Values[band * mel.Frames + start + t] - n.Mean) / n.Std);
        using var noGrad = Torch.Torch.no_grad();
        using var scope = Torch.Torch.NewDisposeScope();
        var output = encoder.forward(Torch.Torch.tensor(input, 1, 64, 600)).data<float>(); // (1, C, P)
        var count = output.Length / 16;
        return Enumerable.Range(0, count).Select(p => Enumerable.Range(0, 16).Select(c => output[c * count + p]).ToArray()).ToArray();
    }

    private static LogMel RandomMel(int frames, int seed)
    {
        var random = new Random(seed);
        var values = new float[64 * frames];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(-4 + 2 * random.NextDouble() + Math.Sin(i % frames / 37.0));
        return new LogMel(64, frames, values);
    }
}
