using System.Diagnostics;
using System.Globalization;
using ConvEmbed.Model.Training;

namespace ConvEmbed.Cli.Training;

/// <summary>Prints training progress to stderr at most every few seconds (and always the last report).</summary>
public sealed class ProgressLine(string label, TimeSpan every)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? last;

    public void Report(TrainingProgress p, bool force = false)
    {
        if (!force && p.Fraction < 1 && last is { } l && clock.Elapsed - l < every) return;
        last = clock.Elapsed;
        var std = p.EmbeddingStd is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        Stderr.Line(string.Create(CultureInfo.InvariantCulture,
            $"{label} {p.Fraction,4:P0} step {p.Step,6} {p.Seconds / 60,6:0.00} min  loss {p.Loss,8:0.0000}  lr {p.LearningRate:0.0e0}  " +
            $"{p.StepsPerSecond,5:0.00} steps/s {p.WindowsPerSecond,6:0.0} windows/s  emb std {std}"));
    }
}
