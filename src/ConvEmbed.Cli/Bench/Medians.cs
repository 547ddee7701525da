namespace ConvEmbed.Cli.Bench;

/// <summary>Benchmarks report medians: one slow step on a noisy machine should not move the number.</summary>
public static class Medians
{
    public static double Of(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        if (s.Length == 0) return double.NaN;
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
