using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.Audio.Tests.Support;
using ConvEmbed.AudioWriting;
using Xunit.Abstractions;

namespace ConvEmbed.Audio.Tests.Synthesis;

[Collection(FfmpegCollection.Name)]
public class SyntheticMusicTests(ITestOutputHelper output)
{
    [Fact]
    public void AtLeastEightClassesWithDistinctNames()
    {
        Assert.True(SyntheticMusic.Labels.Count >= 8);
        Assert.Equal(SyntheticMusic.Labels.Count, SyntheticMusic.Labels.Distinct().Count());
    }

    [Fact]
    public void SameSeedGivesTheSameTrackAndOtherSeedsDiffer()
    {
        var music = new SyntheticMusic();
        var a = music.Generate(3, 1, seed: 9, seconds: 3);
        var b = music.Generate(3, 1, seed: 9, seconds: 3);
        var c = music.Generate(3, 1, seed: 10, seconds: 3);
        Assert.Equal(a.Samples, b.Samples);
        Assert.NotEqual(a.Samples, c.Samples);
        Assert.Equal("jazz", a.Label);
        Assert.Equal(48000, a.Samples.Length);
        Assert.All(a.Samples, v => Assert.InRange(v, -1f, 1f));
    }

    /// <summary>
    /// The classes are learnable from the spectrum as a whole (nearest neighbour on mean+std log-mel separates them
    /// well) but no single scalar statistic (loudness, spectral centroid, onset rate) does: leave-one-out 1-NN on any
    /// one of them stays well below the full-feature accuracy.
    /// </summary>
    [Fact]
    public void ClassesDifferInManyWaysButNoSingleStatisticSeparatesThem()
    {
        var music = new SyntheticMusic();
        var tracks = music.Library(perClass: 8, seed: 1, seconds: 8).ToList();
        var mels = tracks.Select(t => new MelSpectrogram().Compute(t.Samples)).ToList();
        int[] labels = tracks.Select(t => t.ClassIndex).ToArray();

        double[][] full = mels.Select(m => Enumerable.Range(0, 64).SelectMany(b =>
        {
            var band = m.Band(b).ToArray();
            double mean = band.Average(v => (double)v);
            return new[] { mean, Math.Sqrt(band.Average(v => (v - mean) * (v - mean))) };
        }).ToArray()).ToArray();
        var scalars = new Dictionary<string, double[]>
        {
            ["rms"] = tracks.Select(t => Math.Sqrt(t.Samples.Average(v => (double)v * v))).ToArray(),
            ["centroid"] = mels.Select(m => Enumerable.Range(0, 64).Sum(b => b * m.Band(b).ToArray().Average(v => Math.Exp(v))) /
                                            Enumerable.Range(0, 64).Sum(b => m.Band(b).ToArray().Average(v => Math.Exp(v)))).ToArray(),
            ["flux"] = mels.Select(m => Enumerable.Range(1, m.Frames - 1).Average(t => Enumerable.Range(0, 64).Sum(b => Math.Max(0.0, m[b, t] - m[b, t - 1])))).ToArray(),
            ["mean_logmel"] = mels.Select(m => m.Values.Average(v => (double)v)).ToArray(),
        };

        double fullAccuracy = LeaveOneOut1Nn(full, labels);
        output.WriteLine($"mean+std log-mel 1-NN: {fullAccuracy:P0}");
        Assert.True(fullAccuracy >= 0.65, $"classes not learnable: {fullAccuracy:P0}");
        foreach (var (name, values) in scalars)
        {
            double acc = LeaveOneOut1Nn(values.Select(v => new[] { v }).ToArray(), labels);
            output.WriteLine($"{name} 1-NN: {acc:P0}");
            Assert.True(acc <= 0.6, $"{name} alone separates the classes ({acc:P0})");
        }
    }

    [Fact]
    public async Task LibraryWriterMakesOneFolderPerClassInWavAndMp3()
    {
        string root = Path.Combine(Path.GetTempPath(), "convembed-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var wav = await SyntheticLibrary.WriteAsync(Path.Combine(root, "wav"), perClass: 1, seconds: 2);
            Assert.Equal(SyntheticMusic.Labels.Count, wav.Count);
            Assert.Equal(SyntheticMusic.Labels.OrderBy(l => l), Directory.GetDirectories(Path.Combine(root, "wav")).Select(Path.GetFileName).OrderBy(l => l));
            var decoded = await new AudioDecoder().DecodeFileAsync(wav[0].Path);
            Assert.Equal(new SyntheticMusic().Generate(0, 0, 0, 2).Samples.Length, decoded.Length);

            var mp3 = await SyntheticLibrary.WriteAsync(Path.Combine(root, "mp3"), perClass: 1, seconds: 2, format: AudioFileFormat.Mp3);
            Assert.All(mp3, t => Assert.EndsWith(".mp3", t.Path));
            Assert.InRange((await new AudioDecoder().DecodeFileAsync(mp3[3].Path)).Length, 31000, 34000);
            Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void EveryClassMakesAFullLengthTrackOfBoundedUsableSignal()
    {
        var music = new SyntheticMusic();
        for (int c = 0; c < 8; c++)
        {
            var track = music.Generate(c, 1, seconds: 30);
            Assert.Equal(30 * music.SampleRate, track.Samples.Length);
            Assert.All(track.Samples, x => Assert.InRange(x, -1f, 1f)); // written as PCM without clipping
            double rms = Math.Sqrt(track.Samples.Average(x => (double)x * x));
            Assert.InRange(rms, 0.01, 0.7); // neither silence nor a square wall
            // Music, not a drone: the loudness of 1-s blocks varies along the track.
            var blocks = track.Samples.Chunk(music.SampleRate).Select(b => Math.Sqrt(b.Average(x => (double)x * x))).ToArray();
            Assert.True(blocks.Max() > 1.05 * blocks.Min(), $"class {c}: block rms {blocks.Min():0.000}..{blocks.Max():0.000}");
        }
    }

    private static double LeaveOneOut1Nn(double[][] x, int[] y)
    {
        int dims = x[0].Length;
        var mean = Enumerable.Range(0, dims).Select(d => x.Average(r => r[d])).ToArray();
        var std = Enumerable.Range(0, dims).Select(d => Math.Sqrt(x.Average(r => (r[d] - mean[d]) * (r[d] - mean[d]))) + 1e-9).ToArray();
        var z = x.Select(r => r.Select((v, d) => (v - mean[d]) / std[d]).ToArray()).ToArray();
        int correct = 0;
        for (int i = 0; i < z.Length; i++)
        {
            int best = -1;
            double bestD = double.MaxValue;
            for (int j = 0; j < z.Length; j++)
            {
                if (j == i) continue;
                double d = 0;
                for (int k = 0; k < dims; k++) d += (z[i][k] - z[j][k]) * (z[i][k] - z[j][k]);
                if (d < bestD) { bestD = d; best = j; }
            }
            if (y[best] == y[i]) correct++;
        }
        return (double)correct / z.Length;
    }
}
