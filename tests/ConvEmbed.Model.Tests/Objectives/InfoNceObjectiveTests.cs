using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;
using ConvEmbed.Model.Training;
using ConvEmbed.Torch;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

[Collection(LibtorchRandomness.Name)]
public sealed class InfoNceObjectiveTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    public void LossEqualsTheFormulaComputedIndependently(double temperature)
    {
        const int b = 3, d = 4, t = 5;
        var z = Values(b * d * t, 1);
        var g = Values(b * d, 2);
        using var scope = Torch.Torch.NewDisposeScope();

        var loss = InfoNceObjective.LocalToGlobal(T(z, b, d, t), T(g, b, d), temperature).item();

        double expected = 0;
        var globals = Enumerable.Range(0, b).Select(j => Normalise(Enumerable.Range(0, d).Select(k => (double)g[j * d + k]).ToArray())).ToArray();
        for (var i = 0; i < b; i++)
            for (var p = 0; p < t; p++)
            {
                var local = Normalise(Enumerable.Range(0, d).Select(k => (double)z[(i * d + k) * t + p]).ToArray());
                var logits = globals.Select(gl => Dot(local, gl) / temperature).ToArray();
                expected -= LogSoftmax(logits)[i];
            }
        Assert.Equal(expected / (b * t), loss, 4);
    }

    [Fact]
    public void ARunSpecsTemperatureReachesTheObjective()
    {
        var spec = new RunSpec(ObjectiveFactory.ConvEmbed, Variant.InfoNce, EncoderConfig.FromPreset("rf0.1", channels: 8), new DinoSettings()) { Temperature = 0.3 };
        using var objective = spec.Create(0);

        Assert.Equal(0.3, Assert.IsType<InfoNceObjective>(objective).LossTemperature);
        using var plain = (spec with { Temperature = InfoNceObjective.Temperature }).Create(0);
        Assert.Equal(0.1, ((InfoNceObjective)plain).LossTemperature);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InfoNceObjective(EncoderConfig.FromPreset("rf0.1", channels: 8), temperature: 0));
    }

    /// <summary>Records what the single pass hands to the loss.</summary>
    private sealed class Capture(EncoderConfig config) : SinglePassObjective(config)
    {
        public float[] Features = [], Global = [];
        public long[] Shape = [];
        public override string Name => "capture";

        protected override Tensor Loss(Tensor features, Tensor global, int[]? tracks)
        {
            (Features, Global, Shape) = (features.contiguous().data<float>().ToArray(), global.contiguous().data<float>().ToArray(), features.Shape);
            return features.sum();
        }
    }

    [Fact]
    public void WindowsOfOneTrackShareOneGlobalViewOverAllTheirPositions()
    {
        Torch.Torch.manual_seed(0);
        using var objective = new Capture(EncoderConfig.FromPreset("rf0.1", channels: 8));
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([4, 64, 32]);
        var perWindow = objective.EmbeddingEncoder.forward(x).contiguous().data<float>().ToArray(); // (4, 8, T), same batch statistics
        long c = 8, t = perWindow.Length / (4 * c);

        objective.Loss(new TrainingBatch(4, Windows: x, WindowsPerTrack: 2));

        Assert.Equal([2L, c, 2 * t], objective.Shape);
        for (var track = 0; track < 2; track++)
            for (var ch = 0; ch < c; ch++)
            {
                double sum = 0;
                for (var p = 0; p < 2 * t; p++)
                {
                    var window = 2 * track + (int)(p / t);
                    var expected = perWindow[(window * c + ch) * t + p % t];
                    Assert.Equal(expected, objective.Features[(track * c + ch) * 2 * t + p], 5);
                    sum += expected;
                }
                Assert.Equal(sum / (2 * t), objective.Global[track * c + ch], 4);
            }
    }

    [Fact]
    public void ConstantEmbeddingCostsLnB()
    {
        const int b = 8;
        using var scope = Torch.Torch.NewDisposeScope();
        var z = Torch.Torch.ones([b, 16, 7]);
        var g = Torch.Torch.ones([b, 16]);

        Assert.Equal(Math.Log(b), InfoNceObjective.LocalToGlobal(z, g).item(), 5);
    }

    [Fact]
    public void GradientReachesTheEncoderThroughOneForwardPass()
    {
        Torch.Torch.manual_seed(0);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16));
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([4, 64, 40]);

        var loss = objective.Loss(new TrainingBatch(4, Windows: x));
        loss.Backward();

        Assert.True(double.IsFinite(loss.item()));
        var first = objective.EmbeddingEncoder.parameters().First();
        Assert.True(first.Grad!.abs().sum().item() > 0);
    }

    /// <summary>Extra negatives count in every local's softmax and no local belongs to them; an excluded one is out of
    /// the softmax of that global's locals only (global 1 keeps every negative).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExtraNegativesAreCountedInTheSoftmaxUnlessExcluded(bool exclude)
    {
        const int b = 3, d = 4, t = 2, n = 4;
        var z = Values(b * d * t, 6);
        var g = Values(b * d, 7);
        var q = Values(n * d, 8);
        var excluded = new bool[b, n];
        if (exclude) excluded[0, 1] = excluded[0, 3] = excluded[2, 0] = true;
        using var scope = Torch.Torch.NewDisposeScope();
        var queued = Functional.normalize(T(q, n, d), dim: 1);

        var loss = InfoNceObjective.LocalToGlobal(T(z, b, d, t), T(g, b, d), 0.1, queued, exclude ? excluded : null).item();

        Assert.Equal(BruteForceLoss(z, g, q, excluded, d, t), loss, 4);
        if (exclude) Assert.NotEqual(BruteForceLoss(z, g, q, new bool[b, n], d, t), loss, 4);
    }

    /// <summary>The loss with extra negatives <paramref name="q"/> (N, D), computed one local at a time in doubles;
    /// negative j is left out of global i's locals' softmax where <paramref name="excluded"/>[i, j].</summary>
    private static double BruteForceLoss(float[] z, float[] g, float[] q, bool[,] excluded, int d, int t, int[]? groups = null)
    {
        int b = excluded.GetLength(0), n = excluded.GetLength(1);
        var globals = Enumerable.Range(0, b).Select(j => Normalise(Enumerable.Range(0, d).Select(k => (double)g[j * d + k]).ToArray())).ToArray();
        var negatives = Enumerable.Range(0, n).Select(j => Normalise(Enumerable.Range(0, d).Select(k => (double)q[j * d + k]).ToArray())).ToArray();
        double total = 0;
        for (var i = 0; i < b; i++)
            for (var p = 0; p < t; p++)
            {
                var local = Normalise(Enumerable.Range(0, d).Select(k => (double)z[(i * d + k) * t + p]).ToArray());
                // Global i's own group mates before it drop out, so its index among the kept ones moves down by their count.
                bool Kept(int j) => j == i || groups is null || groups[j] != groups[i];
                var kept = globals.Where((_, j) => Kept(j)).Concat(negatives.Where((_, j) => !excluded[i, j]));
                total -= LogSoftmax(kept.Select(gl => Dot(local, gl) / 0.1).ToArray())[Enumerable.Range(0, i).Count(Kept)];
            }
        return total / (b * t);
    }

    /// <summary>With groups, the other globals of a global's group (its track) are out of its locals' softmax.</summary>
    [Fact]
    public void GroupMatesLeaveTheSoftmax()
    {
        const int b = 5, d = 3, t = 3;
        var z = Values(b * d * t, 9);
        var g = Values(b * d, 10);
        int[] groups = [7, 3, 7, 5, 3]; // not contiguous: a track drawn twice
        using var scope = Torch.Torch.NewDisposeScope();

        var loss = InfoNceObjective.LocalToGlobal(T(z, b, d, t), T(g, b, d), 0.1, groups: groups).item();

        Assert.Equal(BruteForceLoss(z, g, [], new bool[b, 0], d, t, groups), loss, 4);
        Assert.NotEqual(BruteForceLoss(z, g, [], new bool[b, 0], d, t), loss, 4);
        Assert.Throws<ArgumentException>(() => InfoNceObjective.LocalToGlobal(T(z, b, d, t), T(g, b, d), 0.1, groups: [1, 2]));
    }

    /// <summary>--other-windows: each window's locals against the head of the mean of its sibling's positions, the
    /// sibling's own global left out.</summary>
    [Fact]
    public void OtherWindowsTiesEachWindowToTheMeanOfItsTracksOtherWindows()
    {
        Torch.Torch.manual_seed(4);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16), otherWindows: true);
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([4, 64, 40]);

        var loss = objective.Loss(new TrainingBatch(4, Windows: x, WindowsPerTrack: 2)).item();

        var features = objective.EmbeddingEncoder.forward(x); // training mode: the same batch statistics as inside the loss
        long c = features.size(1), positions = features.size(2);
        var f = features.data<float>();
        var others = new float[4 * c];
        for (var w = 0; w < 4; w++)
            for (var k = 0; k < c; k++)
                for (var p = 0; p < positions; p++) others[w * c + k] += f[((w ^ 1) * c + k) * positions + p] / positions; // the sibling: 0↔1, 2↔3
        var z = objective.Project(features);
        var g = objective.Project(Torch.Torch.tensor(others, 4, c).unsqueeze(2)).squeeze(2);
        Assert.Equal(InfoNceObjective.LocalToGlobal(z, g, 0.1, groups: [0, 0, 1, 1]).item(), loss, 4);
        Assert.Throws<ArgumentException>(() => objective.Loss(new TrainingBatch(4, Windows: x, WindowsPerTrack: 1))); // no other window to tie to
        // One track drawn twice: all four globals are its own, nothing is left to tell apart, the loss is 0.
        Assert.Equal(0, objective.Loss(new TrainingBatch(4, Windows: x, WindowsPerTrack: 2, Tracks: [4, 4, 4, 4])).item(), 5);
        Assert.Throws<ArgumentException>(() => SinglePassObjective.Create(Variant.VicReg, EncoderConfig.FromPreset("rf0.2", channels: 8), otherWindows: true));
        Assert.Throws<ArgumentException>(() => new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 8), queueSize: 8, otherWindows: true));
    }

    /// <summary>Three windows per track: each window's global is the mean of its two siblings' positions.</summary>
    [Fact]
    public void OtherWindowsAveragesAllOfATracksOtherWindows()
    {
        Torch.Torch.manual_seed(5);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16), otherWindows: true);
        using var scope = Torch.Torch.NewDisposeScope();
        var x = Torch.Torch.randn([6, 64, 40]);

        var loss = objective.Loss(new TrainingBatch(6, Windows: x, WindowsPerTrack: 3, Tracks: [4, 4, 4, 9, 9, 9])).item();

        var features = objective.EmbeddingEncoder.forward(x);
        long c = features.size(1), positions = features.size(2);
        var f = features.data<float>();
        var others = new float[6 * c];
        for (var w = 0; w < 6; w++)
            foreach (var sibling in Enumerable.Range(w / 3 * 3, 3).Where(s => s != w))
                for (var k = 0; k < c; k++)
                    for (var p = 0; p < positions; p++) others[w * c + k] += f[(sibling * c + k) * positions + p] / (2 * positions);
        var g = objective.Project(Torch.Torch.tensor(others, 6, c).unsqueeze(2)).squeeze(2);
        Assert.Equal(InfoNceObjective.LocalToGlobal(objective.Project(features), g, 0.1, groups: [4, 4, 4, 9, 9, 9]).item(), loss, 4);
    }

    /// <summary>The queue remembers each global's track, and the rows a batch's globals leave out of their negatives
    /// are exactly the queued globals of their own tracks, and the objective's loss is the one without them.</summary>
    [Fact]
    public void TheQueueKeepsTracksAndLeavesALocalsOwnTrackOutOfItsNegatives()
    {
        Torch.Torch.manual_seed(2);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16), queueSize: 8);
        using var scope = Torch.Torch.NewDisposeScope();
        Assert.Null(objective.ExcludedNegatives([5, 6]));                        // empty queue
        objective.Loss(new TrainingBatch(4, Windows: Torch.Torch.randn([4, 64, 40]), Tracks: [5, 6, 7, 8])).Backward();
        objective.Loss(new TrainingBatch(4, Windows: Torch.Torch.randn([4, 64, 40]), Tracks: [9, 5, 10, 11])).Backward();
        Assert.Equal([5, 6, 7, 8, 9, 5, 10, 11], objective.QueueTracks);
        Assert.False(objective.QueueRequiresGrad);
        Assert.Equal([5, 7], new TrainingBatch(4, WindowsPerTrack: 2, Tracks: [5, 5, 7, 7]).GlobalTracks!);

        // Globals of tracks 5, 12, 9, 13: rows 0 and 5 hold track 5, row 4 track 9; 12 and 13 are not queued.
        var excluded = objective.ExcludedNegatives([5, 12, 9, 13])!;
        var expected = new bool[4, 8];
        expected[0, 0] = expected[0, 5] = expected[2, 4] = true;
        Assert.Equal(expected, excluded);
        Assert.Null(objective.ExcludedNegatives([12, 13]));   // nothing of theirs queued
        Assert.Null(objective.ExcludedNegatives(null));       // tracks unknown: nothing left out
        Assert.Null(objective.ExcludedNegatives([-1, -1]));

        // A batch without tracks queues −1, which matches nothing.
        objective.Loss(new TrainingBatch(4, Windows: Torch.Torch.randn([4, 64, 40]))).Backward();
        Assert.Equal([-1, -1, -1, -1, 9, 5, 10, 11], objective.QueueTracks);

        // The loss the objective computes is the one with exactly those rows left out (rows 5 and 4 for tracks 5 and 9).
        var x = Torch.Torch.randn([4, 64, 40]);
        var features = objective.EmbeddingEncoder.forward(x); // training mode: the same batch statistics as inside the loss
        var z = objective.Project(features);
        var g = objective.Project(features.mean(2).unsqueeze(2)).squeeze(2);
        var queued = T(objective.QueueValues, 8, 128);
        var masked = InfoNceObjective.LocalToGlobal(z, g, 0.1, queued, objective.ExcludedNegatives([5, 12, 9, 13])).item();
        var unmasked = InfoNceObjective.LocalToGlobal(z, g, 0.1, queued).item();
        var actual = objective.Loss(new TrainingBatch(4, Windows: x, Tracks: [5, 12, 9, 13])).item();
        Assert.Equal(masked, actual, 4);
        Assert.NotEqual(unmasked, actual, 4);
    }

    [Fact]
    public void TheQueueFillsWithNormalisedGlobalsWithoutGradientAndWrapsAround()
    {
        Torch.Torch.manual_seed(1);
        using var objective = new InfoNceObjective(EncoderConfig.FromPreset("rf0.2", channels: 16), queueSize: 6);
        var snapshots = new List<float[][]>();
        for (var step = 0; step < 3; step++)
        {
            using var scope = Torch.Torch.NewDisposeScope();
            var loss = objective.Loss(new TrainingBatch(4, Windows: Torch.Torch.randn([4, 64, 40])));
            loss.Backward();
            Assert.True(double.IsFinite(loss.item()));
            Assert.False(objective.QueueRequiresGrad);
            snapshots.Add(objective.QueueValues.Chunk(128).ToArray());
        }
        // 4 rows a step into a ring of 6: (filled, next) = (4, 4), (6, 2), (6, 0).
        Assert.Equal((6, 0), objective.QueuePosition);
        static bool Unit(float[] row) => Math.Abs(Math.Sqrt(row.Sum(v => (double)v * v)) - 1) < 1e-4;
        static bool Zero(float[] row) => row.All(v => v == 0);
        Assert.True(snapshots[0][..4].All(Unit) && snapshots[0][4..].All(Zero));
        // Step 2 wrote rows 4, 5, 0, 1: rows 2 and 3 still hold step 1's globals.
        Assert.Equal(snapshots[0][2..4], snapshots[1][2..4]);
        Assert.NotEqual(snapshots[0][0], snapshots[1][0]);
        Assert.True(snapshots[1].All(Unit));
        // Step 3 wrote rows 2..5: rows 0 and 1 still hold step 2's.
        Assert.Equal(snapshots[1][..2], snapshots[2][..2]);
        Assert.NotEqual(snapshots[1][2], snapshots[2][2]);
        Assert.Contains(objective.state_dict(), p => p.Name == "queue"); // saved with a run's state, so a resume keeps it
    }

    [Fact]
    public void OnlyInfoNceVariantsTakeAQueue() =>
        Assert.Throws<ArgumentException>(() => SinglePassObjective.Create(Variant.VicReg, EncoderConfig.FromPreset("rf0.2", channels: 8), queueSize: 16));
}
