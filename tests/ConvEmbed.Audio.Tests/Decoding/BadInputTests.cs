using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Errors;
using ConvEmbed.Audio.Tests.Support;
using ConvEmbed.AudioWriting;

namespace ConvEmbed.Audio.Tests.Decoding;

/// <summary>Each kind of bad input raises its own error type, and leaves no ffmpeg process behind.</summary>
[Collection(FfmpegCollection.Name)]
public class BadInputTests : IDisposable
{
    private static byte[] Wav(double seconds, int rate = 16000) =>
        WavWriter.ToBytes(TestSignals.Sine(440, seconds, rate), 1, rate);

    private static Task<byte[]> Encoded(double seconds, AudioFileFormat format) =>
        new FfmpegEncoder(new AudioOptions()).EncodeAsync(TestSignals.Sine(440, seconds, 16000), 1, 16000, format);

    private static Task<float[]> Decode(byte[] bytes, AudioOptions? options = null) =>
        new AudioDecoder(options).DecodeAsync(new MemoryStream(bytes));

    public void Dispose() => ChildProcesses.AssertNoFfmpeg();

    [Fact]
    public async Task RandomBytesAreAnUnsupportedFormat()
    {
        var junk = new byte[20000];
        new Random(1).NextBytes(junk);
        await Assert.ThrowsAsync<UnsupportedFormatException>(() => Decode(junk));
        await Assert.ThrowsAsync<UnsupportedFormatException>(() => Decode([]));
    }

    [Fact]
    public async Task TruncatedWavIsCorrupt()
    {
        var wav = Wav(2);
        var e = await Assert.ThrowsAsync<CorruptAudioException>(() => Decode(wav[..(wav.Length / 2)]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task WavWithoutDataChunkIsCorrupt()
    {
        await Assert.ThrowsAsync<CorruptAudioException>(() => Decode(Wav(2)[..36]));
    }

    [Fact]
    public async Task FlacWithDamagedBodyIsCorruptAndCarriesFfmpegsMessage()
    {
        var flac = await Encoded(2, AudioFileFormat.Flac);
        var broken = flac[..100].Concat(Enumerable.Repeat((byte)0x5A, 3000)).ToArray();
        var e = await Assert.ThrowsAsync<CorruptAudioException>(() => Decode(broken));
        Assert.Contains("ffmpeg", e.Message);
    }

    [Fact]
    public async Task ImageHasNoAudioStream()
    {
        await Assert.ThrowsAsync<NoAudioStreamException>(() => Decode(FfmpegTool.Png()));
    }

    [Fact]
    public async Task HalfSecondIsTooShortInEveryPath()
    {
        await Assert.ThrowsAsync<AudioTooShortException>(() => Decode(Wav(0.5)));
        await Assert.ThrowsAsync<AudioTooShortException>(() => Decode(Wav(0.5, 44100)));
        await Assert.ThrowsAsync<AudioTooShortException>(async () => await Decode(await Encoded(0.5, AudioFileFormat.Mp3)));
    }

    [Fact]
    public async Task OverTheCapIsTooLongInEveryPath()
    {
        var options = new AudioOptions { MaxDuration = TimeSpan.FromSeconds(3) };
        await Assert.ThrowsAsync<AudioTooLongException>(() => Decode(Wav(5), options));
        var openEnded = new TestWav(UnknownDataSize: true).Build(16000, 5 * 16000, (_, i) => Math.Sin(i * 0.1) * 0.5);
        await Assert.ThrowsAsync<AudioTooLongException>(() => Decode(openEnded, options));
        await Assert.ThrowsAsync<AudioTooLongException>(async () => await Decode(await Encoded(5, AudioFileFormat.Flac), options));
    }

    [Fact]
    public async Task MissingFfmpegIsReportedAsSuch()
    {
        var mp3 = await Encoded(2, AudioFileFormat.Mp3);
        var options = new AudioOptions { FfmpegPath = "/nonexistent/ffmpeg" };
        await Assert.ThrowsAsync<FfmpegMissingException>(() => Decode(mp3, options));
        // WAV needs no ffmpeg at all.
        Assert.Equal(32000, (await Decode(Wav(2), options)).Length);
    }

    [Fact]
    public async Task StalledUploadTimesOutAndTheProcessIsKilled()
    {
        var mp3 = await Encoded(5, AudioFileFormat.Mp3);
        var options = new AudioOptions { FfmpegTimeout = TimeSpan.FromMilliseconds(500) };
        var stalled = new StallingStream(mp3[..(mp3.Length / 2)]);
        await Assert.ThrowsAsync<DecodeTimeoutException>(() => new AudioDecoder(options).DecodeAsync(stalled));
    }

    [Fact]
    public async Task CallerCancellationStopsFfmpeg()
    {
        var mp3 = await Encoded(5, AudioFileFormat.Mp3);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stalled = new StallingStream(mp3[..(mp3.Length / 2)]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AudioDecoder().DecodeAsync(stalled, cts.Token));
    }

    [Fact]
    public void InvalidOptionsFailAtStartUp()
    {
        Assert.Throws<ArgumentException>(() => new AudioDecoder(new AudioOptions { MaxDuration = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new AudioDecoder(new AudioOptions { FfmpegTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public async Task WavHeaderDeclaringAGigabyteIsCorruptAndAllocatesLittle()
    {
        // 44 bytes: 8 channels of 8-bit at 768 kHz, a data chunk of 1 GB (174 s, under the cap), and no data.
        var header = new TestWav(Bits: 8, Channels: 8).Build(768_000, 0, (_, _) => 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), 1_000_000_000u);
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var e = await Assert.ThrowsAsync<CorruptAudioException>(() => Decode(header));

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("truncated", e.Message);
        Assert.True(allocated < 64L << 20, $"decoding a 44-byte file allocated {allocated >> 20} MB");
    }

    [Fact]
    public async Task InputThatFailsHalfWayFailsTheDecodeInsteadOfReturningItsPrefix()
    {
        var mp3 = await Encoded(20, AudioFileFormat.Mp3); // fails far past the sniffed prefix: inside ffmpeg's feed
        var e = await Assert.ThrowsAsync<IOException>(() => new AudioDecoder().DecodeAsync(new BreakingStream(mp3, mp3.Length / 2)));
        Assert.Contains("connection reset", e.Message);
    }
}
