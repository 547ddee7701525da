using ConvEmbed.Audio.Resampling;
using ConvEmbed.Audio.Tests.Support;
using Xunit.Abstractions;

namespace ConvEmbed.Audio.Tests.Resampling;

public class ResamplerTests(ITestOutputHelper output)
{
    private static double Rms(ReadOnlySpan<float> x)
    {
        // Skip the edges, where the filter sees the zero padding.
        var mid = x[(x.Length / 10)..(x.Length - x.Length / 10)];
        double s = 0;
        foreach (var v in mid) s += (double)v * v;
        return Math.Sqrt(s / mid.Length);
    }

    [Fact]
    public void OneKilohertzKeepsItsLevelWithinATenthOfADecibel()
    {
        var input = TestSignals.Sine(1000, 1.0, 44100);
        var outSignal = new Resampler(44100, 16000).Process(input);
        double db = 20 * Math.Log10(Rms(outSignal) / Rms(input));
        output.WriteLine($"1 kHz level change: {db:F4} dB");
        Assert.InRange(db, -0.1, 0.1);
    }

    [Theory]
    [InlineData(8200.0)]
    [InlineData(9000.0)]
    [InlineData(12000.0)]
    [InlineData(15000.0)]
    [InlineData(20000.0)]
    public void ToneAbove8KilohertzIsAttenuatedBy60Decibels(double hz)
    {
        var input = TestSignals.Sine(hz, 1.0, 44100);
        var outSignal = new Resampler(44100, 16000).Process(input);
        double db = 20 * Math.Log10(Rms(outSignal) / Rms(input));
        output.WriteLine($"{hz} Hz: {db:F1} dB");
        Assert.True(db <= -60, $"{hz} Hz only attenuated by {-db:F1} dB");
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(11025)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void OutputLengthFollowsTheRateRatio(int rate)
    {
        var r = new Resampler(rate, 16000);
        var y = r.Process(new float[rate * 2 + 7]);
        Assert.Equal((int)Math.Ceiling((rate * 2 + 7) * 16000.0 / rate), y.Length);
    }
}
