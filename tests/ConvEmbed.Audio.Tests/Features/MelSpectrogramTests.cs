using ConvEmbed.Audio.Features;
using ConvEmbed.Audio.Tests.Support;
using Xunit.Abstractions;

namespace ConvEmbed.Audio.Tests.Features;

public class MelSpectrogramTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(100.0)]
    [InlineData(440.0)]
    [InlineData(1000.0)]
    [InlineData(3000.0)]
    [InlineData(7000.0)]
    public void SinePeaksInTheMelBandContainingItsFrequency(double hz)
    {
        var mel = new MelSpectrogram().Compute(TestSignals.Sine(hz, 1.0, 16000));
        var fb = MelSpectrogram.Filterbank;
        int t = mel.Frames / 2;
        int best = Enumerable.Range(0, mel.Bands).MaxBy(m => mel[m, t]);
        // The loudest band must be one whose triangle covers f (bands overlap: f lies in two of them).
        Assert.InRange(hz, fb.EdgesHz[best], fb.EdgesHz[best + 2]);
        int nearest = Enumerable.Range(0, mel.Bands).MinBy(m => Math.Abs(fb.CentreHz[m] - hz));
        Assert.True(Math.Abs(best - nearest) <= 1, $"peak band {best}, nearest centre {nearest}");
    }

    [Fact]
    public void FrameCountMatchesCentredStft()
    {
        Assert.Equal(101, new MelSpectrogram().Compute(new float[16000]).Frames);
        Assert.Equal(1 + 16321 / 160, new MelSpectrogram().Compute(new float[16321]).Frames);
    }

    [Theory]
    [InlineData("mixed")]
    [InlineData("sine")]
    [InlineData("chord")]
    public void LogMelMatchesPlainDftWithin1e4(string signal)
    {
        var x = signal switch
        {
            "mixed" => TestSignals.Mixed(1.3),
            "sine" => TestSignals.Sine(1234.5, 0.7, 16000),
            _ => TestSignals.MelChord(0.7, 16000, 7900),
        };
        var expected = PlainDftLogMel.Compute(x);
        var actual = new MelSpectrogram().Compute(x);
        Assert.Equal(expected.GetLength(1), actual.Frames);
        double worst = 0;
        for (int m = 0; m < actual.Bands; m++)
            for (int t = 0; t < actual.Frames; t++)
                worst = Math.Max(worst, Math.Abs(expected[m, t] - actual[m, t]));
        output.WriteLine($"{signal}: max |Δ log-mel| = {worst:E3}");
        Assert.True(worst < 1e-4, $"max deviation {worst:E3}");
    }

    [Fact]
    public void FilterbankMatchesReferenceDefinition()
    {
        var dense = PlainDftLogMel.Filterbank();
        var fb = MelSpectrogram.Filterbank;
        for (int m = 0; m < fb.Bands; m++)
            for (int k = 0; k < fb.Bins; k++)
                Assert.Equal(dense[m, k], fb.Weight(m, k));
    }
}
