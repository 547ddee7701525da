using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.Audio.Tests.Support;
using ConvEmbed.AudioWriting;
using Xunit.Abstractions;

namespace ConvEmbed.Audio.Tests.Decoding;

[Collection(FfmpegCollection.Name)]
public class FfmpegDecodingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Each compressed format decodes through ffmpeg to about the same duration and spectrum as the source. Compared:
    /// the time-averaged log-mel per band (lossy codecs shift and smear individual frames), over bands below 6 kHz
    /// (where every codec here keeps the signal). Tolerance: flac 0.01, lossy 0.25 ln units mean absolute.
    /// </summary>
    [Theory]
    [InlineData(AudioFileFormat.Flac, 0.01)]
    [InlineData(AudioFileFormat.Mp3, 0.25)]
    [InlineData(AudioFileFormat.Ogg, 0.25)]
    [InlineData(AudioFileFormat.Opus, 0.25)]
    [InlineData(AudioFileFormat.M4a, 0.25)]
    public async Task CompressedFormatDecodesThroughFfmpeg(AudioFileFormat format, double tolerance)
    {
        var track = new SyntheticMusic(44100).Generate(classIndex: 2, index: 0, seed: 3, seconds: 3);
        var stereo = WavWriter.Interleave(track.Samples, 2);
        var bytes = await new FfmpegEncoder(new AudioOptions()).EncodeAsync(stereo, 2, 44100, format);
        var decoded = await new AudioDecoder().DecodeAsync(new MemoryStream(bytes));

        var source = AudioDecoder.ToFrontEndRate(new MonoAudio(track.Samples, 44100));
        Assert.InRange(decoded.Length, source.Length - 1600, source.Length + 1600); // within 0.1 s (codec padding)
        var a = BandMeans(new MelSpectrogram().Compute(source));
        var b = BandMeans(new MelSpectrogram().Compute(decoded));
        var fb = MelSpectrogram.Filterbank;
        var compared = Enumerable.Range(0, fb.Bands).Where(m => fb.EdgesHz[m + 2] < 6000).ToArray();
        double mean = compared.Average(m => Math.Abs(a[m] - b[m]));
        output.WriteLine($"{format}: {bytes.Length} bytes, {decoded.Length} samples (source {source.Length}), mean |Δ band mean| = {mean:F4}");
        Assert.True(mean < tolerance, $"{format}: {mean:F4}");
        ChildProcesses.AssertNoFfmpeg();
    }

    [Fact]
    public async Task WavCodecsTheManagedReaderLacksGoThroughFfmpeg()
    {
        var mulaw = FfmpegTool.Run("-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=8000", "-c:a", "pcm_mulaw", "-f", "wav", "pipe:1");
        Assert.Equal(0x0007, ConvEmbed.Audio.Decoding.WavFormat.Sniff(mulaw)!.FormatTag);
        var decoded = await new AudioDecoder().DecodeAsync(new MemoryStream(mulaw));
        Assert.InRange(decoded.Length, 31900, 32100);
        var mel = new MelSpectrogram().Compute(decoded);
        int peak = Enumerable.Range(0, mel.Bands).MaxBy(m => mel[m, mel.Frames / 2]);
        Assert.InRange(440.0, MelSpectrogram.Filterbank.EdgesHz[peak], MelSpectrogram.Filterbank.EdgesHz[peak + 2]);
        ChildProcesses.AssertNoFfmpeg();
    }

    private static double[] BandMeans(LogMel mel) =>
        Enumerable.Range(0, mel.Bands).Select(m => mel.Band(m).ToArray().Average(v => (double)v)).ToArray();
}
