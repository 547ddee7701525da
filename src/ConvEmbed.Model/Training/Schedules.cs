namespace ConvEmbed.Model.Training;

/// <summary>
/// Schedules as functions of training progress. Budgets are wall-clock or step counts, so progress is the
/// fraction of the budget spent (docs/method.md#schedules), and warm-up counts steps.
/// </summary>
public static class Schedules
{
    /// <summary>Linear warm-up over <paramref name="warmupSteps"/>, then cosine from <paramref name="peak"/> to 0 over the budget.</summary>
    public static double LearningRate(double peak, int step, int warmupSteps, double progress)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
    }

    /// <summary>DINO's teacher momentum: cosine from <paramref name="start"/> to 1 over the budget.</summary>
    public static double TeacherMomentum(double start, double progress) =>
        1 - (1 - start) * (Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)) + 1) / 2;
}
