using ConvEmbed.Model.Evaluation;

namespace ConvEmbed.Model.Tests.Evaluation;

public class MfccStatisticsTests
{
    private const int Mel = 64;

    private static float[] LogMel(int frames, Func<int, int, double> value)
    {
        var x = new float[Mel * frames];
        for (var m = 0; m < Mel; m++)
        for (var t = 0; t < frames; t++) x[m * frames + t] = (float)value(m, t);
        return x;
    }

    [Fact]
    public void DctRowsAreOrthogonalWithTheReferenceScaling()
    {
        var d = MfccStatistics.DctMatrix(Mel);
        for (var i = 0; i < MfccStatistics.Coefficients; i++)
        for (var j = 0; j < MfccStatistics.Coefficients; j++)
        {
            var dot = Enumerable.Range(0, Mel).Sum(m => d[i, m] * d[j, m]);
            // √(2/M) on every row: unit rows, except row 0 whose squared norm is 2.
            var expected = i != j ? 0 : i == 0 ? 2 : 1;
            Assert.Equal(expected, dot, 10);
        }
    }

    [Fact]
    public void CosineAcrossMelBandsGivesItsOwnCoefficient()
    {
        // L_m = cos(π/M (m+½) 3) → c_3 = √(2/M) · M/2 = √(M/2), every other coefficient 0.
        var x = LogMel(3, (m, _) => Math.Cos(Math.PI / Mel * (m + 0.5) * 3));
        var c = MfccStatistics.Cepstrum(x, Mel, 3);
        for (var j = 0; j < MfccStatistics.Coefficients; j++)
            Assert.Equal(j == 3 ? Math.Sqrt(Mel / 2.0) : 0, c[j, 1], 5);
    }

    [Fact]
    public void ConstantLogMelHasZeroStdAndZeroDeltas()
    {
        var features = MfccStatistics.Compute(LogMel(10, (_, _) => -2.5), Mel, 10);
        Assert.Equal(MfccStatistics.FeatureLength, features.Length);
        Assert.Equal(-2.5 * Math.Sqrt(2.0 * Mel), features[0], 4); // c_0 = √(2/M) · M · v
        for (var k = 1; k < 20; k++) Assert.Equal(0, features[k], 4);   // other means
        for (var k = 20; k < 80; k++) Assert.Equal(0, features[k], 5);  // stds, delta means, delta stds
    }

    [Fact]
    public void DeltaIsTheFirstDifferenceOverTime()
    {
        // L = t in every band: c_0(t) = √(2M)·t, Δ_0 = √(2M) at every step, std over t of 0..T−1 is √((T²−1)/12).
        const int frames = 7;
        var features = MfccStatistics.Compute(LogMel(frames, (_, t) => t), Mel, frames);
        var scale = Math.Sqrt(2.0 * Mel);
        Assert.Equal(scale * 3, features[0], 4);
        Assert.Equal(scale * Math.Sqrt((frames * frames - 1) / 12.0), features[20], 4);
        Assert.Equal(scale, features[40], 4);
        Assert.Equal(0, features[60], 4);
    }

    [Fact]
    public void MatrixAndRowMajorInputsAgree()
    {
        var random = new Random(10);
        var matrix = new float[Mel, 12];
        for (var m = 0; m < Mel; m++)
        for (var t = 0; t < 12; t++) matrix[m, t] = (float)random.NextDouble();
        var flat = LogMel(12, (m, t) => matrix[m, t]);
        Assert.Equal(MfccStatistics.Compute(flat, Mel, 12), MfccStatistics.Compute(matrix));
    }

    [Fact]
    public void StandardisedDimensionsHaveZeroMeanAndUnitStd()
    {
        float[][] features = [[1, 5, 3], [3, 5, 1], [5, 5, 2]];
        var s = MfccStatistics.Standardise(features);
        for (var k = 0; k < 3; k++)
        {
            var column = s.Select(f => (double)f[k]).ToArray();
            Assert.Equal(0, column.Average(), 6);
            var std = Math.Sqrt(column.Select(v => v * v).Average());
            Assert.Equal(k == 1 ? 0 : 1, std, 5); // a constant dimension stays 0, not NaN
        }
    }

    [Fact]
    public void StatisticsFromSomeRowsStandardiseEveryRow()
    {
        float[][] features = [[1, 10], [3, 10], [100, -7]];
        var s = MfccStatistics.Standardise(features, statisticsFrom: [0, 1]); // mean 2 and std 1 in dimension 0

        Assert.Equal([-1f, 1f, 98f], s.Select(f => f[0]).ToArray());
        Assert.Equal(0f, s[0][1]);
        Assert.True(s[2][1] < -1e6, "row 2 is scaled by rows 0 and 1's (zero) spread, not its own");
    }

    [Fact]
    public void SingleFrameIsRejected() =>
        Assert.Throws<ArgumentException>(() => MfccStatistics.Compute(new float[Mel], Mel, 1));
}
