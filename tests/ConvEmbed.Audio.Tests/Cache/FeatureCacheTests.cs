using ConvEmbed.Audio.Cache;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Tests.Support;

namespace ConvEmbed.Audio.Tests.Cache;

public sealed class FeatureCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "convembed-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static LogMel RandomMel(int frames, int seed)
    {
        var rng = new Random(seed);
        var v = new float[64 * frames];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 30 - 20);
        return new LogMel(64, frames, v);
    }

    private static string Key(int i) => ContentHash.Of(BitConverter.GetBytes(i));

    [Fact]
    public async Task RoundTripIsExactAtFloat16()
    {
        var cache = new FeatureCache(_dir);
        var mel = new MelSpectrogram().Compute(TestSignals.Mixed(2.0));
        await cache.WriteAsync(Key(1), mel);
        using var entry = cache.Open(Key(1));
        Assert.Equal((64, mel.Frames), (entry.Bands, entry.Frames));
        var back = entry.ReadAll();
        for (int i = 0; i < mel.Values.Length; i++)
            Assert.Equal((float)(Half)mel.Values[i], back.Values[i]);
    }

    [Fact]
    public async Task RandomWindowsMatchTheTrackInModelLayout()
    {
        var cache = new FeatureCache(_dir);
        var mel = RandomMel(1000, 3);
        await cache.WriteAsync(Key(2), mel);
        using var entry = cache.Open(Key(2));
        var rng = new Random(5);
        const int w = 600;
        var window = new float[64 * w];
        for (int k = 0; k < 20; k++)
        {
            int start = rng.Next(0, mel.Frames - w + 1);
            entry.ReadWindow(start, w, window);
            for (int m = 0; m < 64; m += 7)
                for (int t = 0; t < w; t += 13)
                    Assert.Equal((float)(Half)mel[m, start + t], window[m * w + t]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => entry.ReadWindow(mel.Frames - w + 1, w, window));
    }

    [Fact]
    public async Task ConcurrentWritersOfOneKeyNeverLeaveACorruptFile()
    {
        var cache = new FeatureCache(_dir);
        var versions = Enumerable.Range(0, 4).Select(s => RandomMel(700 + 100 * s, s)).ToArray();
        string key = Key(3);
        using var stop = new CancellationTokenSource();
        int reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!cache.TryOpen(key, out var entry)) continue;
                using (entry)
                {
                    // Whatever version is visible, it must be whole and equal to one that was written.
                    var mel = entry!.ReadAll();
                    var source = versions.Single(v => v.Frames == mel.Frames);
                    Assert.Equal((float)(Half)source.Values[^1], mel.Values[^1]);
                    Interlocked.Increment(ref reads);
                }
            }
        });
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (int round = 0; round < 10; round++) await cache.WriteAsync(key, versions[(i + round) % versions.Length]);
        })).ToArray();
        await Task.WhenAll(writers);
        // On a busy 2-core machine the reader may first be scheduled after the writers are done: let it read at least once.
        for (var waited = 0; Volatile.Read(ref reads) == 0 && !reader.IsCompleted && waited < 500; waited++) await Task.Delay(10);
        stop.Cancel();
        await reader;
        Assert.True(reads > 0);
        using var final = cache.Open(key);
        Assert.Contains(final.Frames, versions.Select(v => v.Frames));
        Assert.Equal([Path.GetFileName(cache.PathFor(key))], Directory.GetFiles(_dir).Select(Path.GetFileName)); // no temp files
    }

    /// <summary>An entry made by another front-end (its fingerprint differs) is whole but stale: it counts as absent
    /// and the next GetOrAdd recomputes and replaces it.</summary>
    [Fact]
    public async Task AnEntryOfAnotherFrontEndIsRecomputed()
    {
        var cache = new FeatureCache(_dir);
        var key = Key(7);
        await cache.WriteAsync(key, RandomMel(30, 1));
        Assert.True(cache.Contains(key));
        using (var fresh = cache.Open(key)) Assert.Equal(30, fresh.Frames);

        var bytes = await File.ReadAllBytesAsync(cache.PathFor(key));
        bytes[12] ^= 0xFF; // the front-end fingerprint
        await File.WriteAllBytesAsync(cache.PathFor(key), bytes);
        Assert.False(cache.Contains(key));
        Assert.False(cache.TryOpen(key, out _));
        Assert.Throws<StaleCacheEntryException>(() => cache.Open(key));

        var extractor = new FeatureExtractor(new ConvEmbed.Audio.Decoding.AudioDecoder(), cache);
        var wav = ConvEmbed.AudioWriting.WavWriter.ToBytes(TestSignals.Mixed(2.0), 1, 16000);
        using var recomputed = await extractor.GetOrAddAsync(key, () => new MemoryStream(wav));
        Assert.Equal(FrontEnd.FrameCount(32000), recomputed.Frames);
        Assert.True(cache.Contains(key));
    }

    [Fact]
    public async Task DamagedFileIsRejected()
    {
        var cache = new FeatureCache(_dir);
        await cache.WriteAsync(Key(4), RandomMel(50, 1));
        var path = cache.PathFor(Key(4));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        Assert.Throws<InvalidDataException>(() => cache.Open(Key(4)));
        Assert.False(cache.TryOpen(Key(5), out _));
        Assert.Throws<ArgumentException>(() => cache.PathFor("../etc/passwd"));
    }

    [Fact]
    public async Task ContentHashIsSha256Hex()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Of("abc"u8));
        Assert.Equal(ContentHash.Of("abc"u8), await ContentHash.OfAsync(new MemoryStream("abc"u8.ToArray())));
    }

    [Fact]
    public async Task ExtractorComputesOnceThenServesFromTheCache()
    {
        var cache = new FeatureCache(_dir);
        var extractor = new FeatureExtractor(new ConvEmbed.Audio.Decoding.AudioDecoder(), cache);
        var wav = ConvEmbed.AudioWriting.WavWriter.ToBytes(TestSignals.Mixed(1.5), 1, 16000);
        string key = ContentHash.Of(wav);
        int opened = 0;
        using (var first = await extractor.GetOrAddAsync(key, () => { opened++; return new MemoryStream(wav); }))
        using (var second = await extractor.GetOrAddAsync(key, () => { opened++; return new MemoryStream(wav); }))
        {
            Assert.Equal(1, opened);
            Assert.Equal(1 + 24000 / 160, second.Frames);
            Assert.Equal(first.ReadAll().Values, second.ReadAll().Values);
        }
    }
}
