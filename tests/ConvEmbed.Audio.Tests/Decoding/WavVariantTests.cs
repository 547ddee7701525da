using ConvEmbed.Audio.Decoding;
using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Tests.Support;
using Xunit.Abstractions;

namespace ConvEmbed.Audio.Tests.Decoding;

/// <summary>
/// Every WAV layout decodes to the same log-mel as the 16 kHz mono original of the same analytic signal.
/// Compared: bands whose upper edge is below 0.44 × the lower of the two rates (content the resampler must keep),
/// frames away from the first/last 10 (where the resampler sees zero padding). Tolerances, in ln units:
/// ≥ 16-bit: max 0.02, mean 0.005. 8-bit: max 0.35, mean 0.05 — its quantisation noise floor (≈ −48 dB) is
/// comparable to the weakest per-band tones of the test chord, so single cells move visibly.
/// </summary>
public class WavVariantTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, TestWav> Variants() => new()
    {
        { "pcm8", 16000, new TestWav(Bits: 8) },
        { "pcm16", 16000, new TestWav(Bits: 16) },
        { "pcm24", 16000, new TestWav(Bits: 24) },
        { "pcm32", 16000, new TestWav(Bits: 32) },
        { "float32", 16000, new TestWav(Bits: 32, Float: true) },
        { "float64", 16000, new TestWav(Bits: 64, Float: true) },
        { "extensible-pcm24-stereo", 16000, new TestWav(Bits: 24, Extensible: true, Channels: 2) },
        { "extensible-float32", 16000, new TestWav(Bits: 32, Float: true, Extensible: true) },
        { "stereo16-odd-chunks", 16000, new TestWav(Channels: 2, ExtraChunks: true) },
        { "six-channels", 16000, new TestWav(Channels: 6) },
        { "unknown-data-size", 16000, new TestWav(UnknownDataSize: true) },
        { "8k", 8000, new TestWav() },
        { "11k", 11025, new TestWav() },
        { "22k", 22050, new TestWav(Channels: 2) },
        { "32k", 32000, new TestWav() },
        { "44k-stereo", 44100, new TestWav(Channels: 2, ExtraChunks: true) },
        { "48k-float", 48000, new TestWav(Bits: 32, Float: true) },
        { "88k", 88200, new TestWav(Bits: 24) },
        { "96k-stereo", 96000, new TestWav(Bits: 24, Channels: 2) },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task WavVariantGivesTheSameLogMelAsThe16kMonoOriginal(string name, int rate, TestWav wav)
    {
        const double seconds = 1.5;
        double maxHz = 0.44 * Math.Min(rate, 16000);
        var reference = new MelSpectrogram().Compute(TestSignals.MelChord(seconds, 16000, maxHz));

        var signal = TestSignals.MelChord(seconds, rate, maxHz);
        // Channels differ but average to the signal: the decoder must take the mean.
        var bytes = wav.Build(rate, signal.Length, (c, i) => signal[i] + (c % 2 == 0 ? 0.1 : -0.1) * (wav.Channels % 2 == 0 ? Math.Sin(i * 0.01) : 0));
        var samples = await new AudioDecoder().DecodeAsync(new MemoryStream(bytes));
        var actual = new MelSpectrogram().Compute(samples);

        Assert.Equal(reference.Frames, actual.Frames);
        var fb = MelSpectrogram.Filterbank;
        double worst = 0, sum = 0;
        int bands = 0, cells = 0;
        for (int m = 0; m < fb.Bands && fb.EdgesHz[m + 2] < maxHz; m++, bands++)
            for (int t = 10; t < actual.Frames - 10; t++, cells++)
            {
                double d = Math.Abs(reference[m, t] - actual[m, t]);
                worst = Math.Max(worst, d);
                sum += d;
            }
        double mean = sum / cells;
        (double maxTolerance, double meanTolerance) = wav.Bits == 8 ? (0.35, 0.05) : (0.02, 0.005);
        output.WriteLine($"{name}: {bands} bands, max |Δ| = {worst:F5}, mean {mean:F5} (tolerance {maxTolerance}/{meanTolerance})");
        Assert.True(bands >= 40, "too few bands compared");
        Assert.True(worst < maxTolerance, $"{name}: max deviation {worst:F4}");
        Assert.True(mean < meanTolerance, $"{name}: mean deviation {mean:F4}");
    }
}
