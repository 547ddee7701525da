using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;
using ConvEmbed.Model.Checkpoints;
using ConvEmbed.Model.Data;

namespace ConvEmbed.Model.Tests.Data;

public sealed class WindowSamplerTests : IDisposable
{
    private const int Bands = 64;
    private readonly string folder = Directory.CreateTempSubdirectory("convembed-sampler-").FullName;
    private readonly List<CachedLogMel> tracks = [];

    public void Dispose()
    {
        foreach (var t in tracks) t.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A track whose value is the frame index in bands 0–62 and its id in band 63 (both exact in float16).</summary>
    private CachedLogMel Track(int id, int frames)
    {
        var values = new float[Bands * frames];
        for (var band = 0; band < Bands; band++)
            for (var t = 0; t < frames; t++) values[band * frames + t] = band == Bands - 1 ? id : t;
        var cache = new FeatureCache(folder);
        var key = ContentHash.Of(BitConverter.GetBytes(id));
        cache.WriteAsync(key, new LogMel(Bands, frames, values)).GetAwaiter().GetResult();
        var track = cache.Open(key);
        tracks.Add(track);
        return track;
    }

    [Fact]
    public void WindowsAreContiguousStretchesOfOneTrackNormalised()
    {
        var sampler = new WindowSampler([Track(1, 300), Track(2, 500)], new NormalisationConfig(Mean: 10, Std: 2));
        var batch = new float[16 * Bands * 100];
        sampler.SampleWindows(batch, 16, 100, new Random(5));

        for (var b = 0; b < 16; b++)
        {
            var row = batch.AsSpan(b * Bands * 100, Bands * 100);
            var first = row[0] * 2 + 10;
            var id = row[(Bands - 1) * 100] * 2 + 10;
            Assert.Contains(id, new[] { 1f, 2f });
            Assert.True(first + 99 < (id == 1 ? 300 : 500));
            for (var band = 0; band < Bands - 1; band++)
                for (var t = 0; t < 100; t++)
                    Assert.Equal(first + t, row[band * 100 + t] * 2 + 10, 1e-3);
            for (var t = 0; t < 100; t++) Assert.Equal(id, row[(Bands - 1) * 100 + t] * 2 + 10, 1e-3);
        }
    }

    [Fact]
    public void DistinctTracksDrawsEveryTrackOfABatchOnceWhenThereAreEnough()
    {
        var tracks = Enumerable.Range(10, 8).Select(id => Track(id, 400)).ToList();
        float Id(float[] batch, int b) => batch[(b * Bands + Bands - 1) * 50];
        var distinct = new WindowSampler(tracks, new NormalisationConfig(0, 1)) { DistinctTracks = true };
        var independent = new WindowSampler(tracks, new NormalisationConfig(0, 1));
        var repeats = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var batch = new float[8 * Bands * 50];
            distinct.SampleWindows(batch, 8, 50, new Random(seed));
            Assert.Equal(8, Enumerable.Range(0, 8).Select(b => Id(batch, b)).Distinct().Count()); // all 8 tracks once
            var grouped = new float[8 * Bands * 50];
            distinct.SampleWindows(grouped, 8, 50, new Random(seed), windowsPerTrack: 2);
            Assert.Equal(4, Enumerable.Range(0, 4).Select(g => Id(grouped, 2 * g)).Distinct().Count());
            independent.SampleWindows(batch, 8, 50, new Random(seed));
            repeats += 8 - Enumerable.Range(0, 8).Select(b => Id(batch, b)).Distinct().Count();
        }
        Assert.True(repeats > 0, "independent draws should repeat a track sometimes");
        // Fewer tracks than the batch asks for: independent draws, no endless loop.
        var few = new WindowSampler(tracks.Take(3).ToList(), new NormalisationConfig(0, 1)) { DistinctTracks = true };
        few.SampleWindows(new float[8 * Bands * 50], 8, 50, new Random(1));
    }

    [Fact]
    public void TheSamplerNamesTheTrackOfEveryWindowWithoutChangingTheDraws()
    {
        var sampler = new WindowSampler([.. Enumerable.Range(10, 8).Select(id => Track(id, 400))], new NormalisationConfig(0, 1));
        float Id(float[] batch, int b) => batch[(b * Bands + Bands - 1) * 50];
        float[] named = new float[12 * Bands * 50], unnamed = new float[12 * Bands * 50];
        var tracks = new int[12];

        sampler.SampleWindows(named, 12, 50, new Random(4), windowsPerTrack: 2, tracks);
        sampler.SampleWindows(unnamed, 12, 50, new Random(4), windowsPerTrack: 2);

        Assert.Equal(unnamed, named);
        for (var b = 0; b < 12; b++) Assert.Equal(Id(named, b), tracks[b] + 10); // track i holds the id 10 + i
        Assert.True(tracks.Distinct().Count() > 1);
        Assert.Throws<ArgumentException>(() => sampler.SampleWindows(named, 12, 50, new Random(4), tracks: new int[5]));
    }

    [Fact]
    public void WindowsPerTrackDrawsConsecutiveWindowsFromOneTrackAndOneWindowPerTrackDrawsAsBefore()
    {
        var sampler = new WindowSampler([.. Enumerable.Range(10, 8).Select(id => Track(id, 400))], new NormalisationConfig(0, 1));
        var grouped = new float[24 * Bands * 50];
        sampler.SampleWindows(grouped, 24, 50, new Random(3), windowsPerTrack: 3);
        float Id(float[] batch, int b) => batch[(b * Bands + Bands - 1) * 50];
        float Start(float[] batch, int b) => batch[b * Bands * 50];

        for (var b = 0; b < 24; b += 3)
            Assert.All(new[] { 1, 2 }, k => Assert.Equal(Id(grouped, b), Id(grouped, b + k)));
        Assert.True(Enumerable.Range(0, 8).Select(g => Id(grouped, 3 * g)).Distinct().Count() > 1, "every group drew the same track");
        Assert.True(Enumerable.Range(0, 24).Select(b => Start(grouped, b)).Distinct().Count() > 8, "windows of one track should start at their own offsets");

        float[] single = new float[6 * Bands * 50], explicitOne = new float[6 * Bands * 50];
        sampler.SampleWindows(single, 6, 50, new Random(9));
        sampler.SampleWindows(explicitOne, 6, 50, new Random(9), windowsPerTrack: 1);
        Assert.Equal(single, explicitOne);
        Assert.Throws<ArgumentException>(() => sampler.SampleWindows(single, 6, 50, new Random(9), windowsPerTrack: 4));
    }

    [Fact]
    public void AShortTrackIsTiledToTheWindow()
    {
        var sampler = new WindowSampler([Track(3, 40)], new NormalisationConfig(0, 1));
        var probe = new float[1 * Bands * 100];
        sampler.ProbeWindows(probe, 1, 100);

        for (var t = 0; t < 100; t++) Assert.Equal(t % 40, probe[t]);
        Assert.Equal(99 % 40, probe[62 * 100 + 99]);
        Assert.Equal(3, probe[63 * 100 + 99]);
    }

    [Fact]
    public void TheSameRandomGeneratorDrawsTheSameWindows()
    {
        var sampler = new WindowSampler([Track(4, 900), Track(5, 700)], new NormalisationConfig(0, 1));
        float[] a = new float[4 * Bands * 64], b = new float[4 * Bands * 64];
        sampler.SampleWindows(a, 4, 64, new Random(11));
        sampler.SampleWindows(b, 4, 64, new Random(11));
        Assert.Equal(a, b);
    }

    [Fact]
    public void MultiCropGlobalsAndLocalsComeFromOneSegmentOfTwiceTheWindow()
    {
        var sampler = new WindowSampler([Track(6, 1000), Track(7, 1000)], new NormalisationConfig(0, 1));
        const int batch = 8, frames = 100, locals = 4;
        var globals = new float[2 * batch * Bands * frames];
        var localCrops = new float[locals * batch * Bands * (frames / 4)];
        sampler.SampleMultiCrop(globals, localCrops, batch, frames, locals, new Random(2));

        for (var b = 0; b < batch; b++)
        {
            List<float> starts = [], ends = [], ids = [];
            for (var v = 0; v < 2; v++)
            {
                var offset = (v * batch + b) * Bands * frames;
                starts.Add(globals[offset]);
                ends.Add(globals[offset + frames - 1]);
                ids.Add(globals[offset + (Bands - 1) * frames]);
            }
            for (var v = 0; v < locals; v++)
            {
                var offset = (v * batch + b) * Bands * (frames / 4);
                starts.Add(localCrops[offset]);
                ends.Add(localCrops[offset + frames / 4 - 1]);
                ids.Add(localCrops[offset + (Bands - 1) * (frames / 4)]);
            }
            Assert.Single(ids.Distinct()); // every view from the same track
            Assert.True(ends.Max() - starts.Min() < 2 * frames, "views span more than one segment of 2W");
        }
    }
}
