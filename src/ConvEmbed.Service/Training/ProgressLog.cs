using ConvEmbed.Model.Training;

namespace ConvEmbed.Service.Training;

/// <summary>Progress reports of a running training, collected on the training thread and read by the heartbeat.</summary>
internal sealed class ProgressLog(int? totalSteps, double? minutes)
{
    private const int MaxPoints = 500;
    private readonly object gate = new();
    private readonly List<double[]> loss = [], std = [];
    private TrainingProgress? last;

    /// <summary>"bf16: auto, CPU has avx512_bf16", set when the trainer has decided.</summary>
    public string? Precision { get; set; }

    /// <summary>"cpu" or "cuda", set when the trainer has placed the networks.</summary>
    public string? Device { get; set; }

    /// <summary>Work after the last step ("fitting the whitening: 118/207 tracks embedded"), null otherwise.</summary>
    public string? Stage { get; set; }

    public void Add(TrainingProgress p)
    {
        lock (gate)
        {
            last = p;
            loss.Add([p.Step, Math.Round(p.Loss, 5)]);
            if (p.EmbeddingStd is { } s) std.Add([p.Step, Math.Round(s, 5)]);
            Thin(loss);
            Thin(std);
        }
    }

    public TrainingJobProgress Snapshot(long reembedded = 0, long tracks = 0)
    {
        lock (gate)
        {
            if (last is null) return new TrainingJobProgress(TotalSteps: totalSteps, Reembedded: reembedded, Tracks: tracks, Precision: Precision, Device: Device, Stage: Stage);
            double? eta = totalSteps is { } n
                ? last.StepsPerSecond > 0 ? Math.Max(0, (n - last.Step) / last.StepsPerSecond) : null
                : Math.Max(0, minutes!.Value * 60 - last.Seconds);
            return new TrainingJobProgress(last.Step, totalSteps, Math.Round(last.Seconds, 1), eta is null ? null : Math.Round(eta.Value, 1),
                Math.Round(last.StepsPerSecond, 3), loss.ToArray(), std.ToArray(), reembedded, tracks, Precision, Device, Stage);
        }
    }

    // Long runs keep every other point once the curve is long: the shape stays, the row stays small.
    private static void Thin(List<double[]> points)
    {
        if (points.Count <= MaxPoints) return;
        for (var i = points.Count - 2; i > 0; i -= 2) points.RemoveAt(i);
    }
}
