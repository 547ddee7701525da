using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Tests.Support;

namespace ConvEmbed.Audio.Tests.Decoding;

/// <summary>Files as real libraries hold them: written by other tools, needing seeking or a second decoder.</summary>
[Collection(FfmpegCollection.Name)]
public sealed class RealFileDecodingTests : IDisposable
{
    private static readonly string RejectedVorbis = Path.Combine(AppContext.BaseDirectory, "TestData", "vorbis-header-ffmpeg-rejects.ogg");
    private readonly string _dir = Directory.CreateTempSubdirectory("convembed-realfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>ffmpeg writing an .m4a to a file puts its index (moov) at the end; read forward only it looked like 0 s.</summary>
    [Fact]
    public async Task M4aWithTheIndexAtTheEndDecodesWhole()
    {
        string m4a = Path.Combine(_dir, "moov-at-end.m4a");
        FfmpegTool.Run("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=5", "-c:a", "aac", "-b:a", "96k", m4a);
        var bytes = await File.ReadAllBytesAsync(m4a);
        int moov = bytes.AsSpan().IndexOf("moov"u8), mdat = bytes.AsSpan().IndexOf("mdat"u8);
        Assert.True(moov > mdat, $"the file should keep its index after the data (moov at {moov}, mdat at {mdat})");

        var fromFile = await new AudioDecoder().DecodeFileAsync(m4a);
        var fromMemory = await new AudioDecoder().DecodeAsync(new MemoryStream(bytes)); // not seekable as a file: copied to one first
        foreach (var samples in new[] { fromFile, fromMemory })
        {
            Assert.InRange(samples.Length, 5 * 16000 - 1600, 5 * 16000 + 1600);
            double rms = Math.Sqrt(samples.Skip(8000).Take(16000).Average(x => (double)x * x));
            Assert.InRange(rms, 0.05, 1.0); // a sine, not silence
        }
        ChildProcesses.AssertNoFfmpeg();
    }

    /// <summary>A real Ogg Vorbis file that ffmpeg 5.1 refuses: SoX (libvorbis) reads it, 10.69 s long.</summary>
    [Fact]
    public async Task VorbisThatFfmpegRejectsIsReadBySox()
    {
        var samples = await new AudioDecoder().DecodeFileAsync(RejectedVorbis);
        Assert.InRange(samples.Length / 16000.0, 10.6, 10.8);
        double rms = Math.Sqrt(samples.Average(x => (double)x * x));
        Assert.InRange(rms, 0.01, 1.0);

        // The same through a stream opened on the file (how the service and the trainer call it).
        await using var file = File.OpenRead(RejectedVorbis);
        Assert.Equal(samples.Length, (await new AudioDecoder().DecodeAsync(file)).Length);
    }

    /// <summary>When both decoders fail, the message names both attempts.</summary>
    [Fact]
    public async Task BothDecodersFailingAreBothNamed()
    {
        var noSox = new AudioOptions { SoxPath = Path.Combine(_dir, "no-such-sox") };
        var e = await Assert.ThrowsAsync<UnsupportedFormatException>(() => new AudioDecoder(noSox).DecodeFileAsync(RejectedVorbis));
        Assert.Contains("ffmpeg", e.Message);
        Assert.Contains("Header processing failed", e.Message);
        Assert.Contains("sox could not be started", e.Message);

        string text = Path.Combine(_dir, "notes.ogg");
        await File.WriteAllTextAsync(text, "not audio at all, just text that happens to end in .ogg\n");
        var both = await Assert.ThrowsAnyAsync<AudioException>(() => new AudioDecoder().DecodeFileAsync(text));
        Assert.Contains("ffmpeg's libraries could not open " + text, both.Message);
        Assert.Contains("sox exited", both.Message);
        var command = await Assert.ThrowsAnyAsync<AudioException>(() => new AudioDecoder(new AudioOptions { InProcess = false }).DecodeFileAsync(text));
        Assert.Contains("ffmpeg exited", command.Message);
        Assert.Contains("sox exited", command.Message);

        var off = await Assert.ThrowsAsync<UnsupportedFormatException>(() => new AudioDecoder(new AudioOptions { SoxPath = "" }).DecodeFileAsync(RejectedVorbis));
        Assert.DoesNotContain("sox", off.Message);
    }

    /// <summary>A container with headers and no audio frames: "produced no audio", not "lasts 0 s".</summary>
    [Fact]
    public async Task DecodeWithoutSamplesSaysSo()
    {
        string empty = Path.Combine(_dir, "headers-only.flac");
        FfmpegTool.Run("-f", "lavfi", "-i", "sine=duration=1", "-frames:a", "0", "-c:a", "flac", empty);
        var e = await Assert.ThrowsAsync<CorruptAudioException>(() => new AudioDecoder().DecodeFileAsync(empty));
        Assert.Contains("ffmpeg produced no audio from headers-only.flac", e.Message);
        Assert.DoesNotContain("lasts", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'M', (byte)'4', (byte)'A', (byte)' ' }, true)]
    [InlineData(new byte[] { (byte)'O', (byte)'g', (byte)'g', (byte)'S', 0, 2, 0, 0, 0, 0, 0, 0 }, false)]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0 }, false)]
    public void OnlyIsoMediaNeedsSeeking(byte[] prefix, bool expected) => Assert.Equal(expected, AudioDecoder.NeedsSeeking(prefix));
}
