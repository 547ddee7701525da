namespace ConvEmbed.Model.Objectives;

/// <summary>
/// DINO's knobs (DESIGN.md §1). Defaults are the ones the dino-sweep found best on the synthetic library
/// (see README); the base setting is momentum 0.996, 1024 prototypes, teacher temperature 0.04.
/// </summary>
public sealed record DinoSettings
{
    public double TeacherMomentum { get; init; } = 0.996;
    public int Prototypes { get; init; } = 1024;
    public double TeacherTemperature { get; init; } = 0.04;
    /// <summary>Teacher temperature at the start of its warm-up (equal to the final one: no warm-up).</summary>
    public double TeacherTemperatureStart { get; init; } = 0.04;
    /// <summary>Fraction of the budget over which the teacher temperature warms up.</summary>
    public double TeacherTemperatureWarmup { get; init; }
    public double StudentTemperature { get; init; } = 0.1;
    public double CenterMomentum { get; init; } = 0.9;
    public int LocalCrops { get; init; } = 4;
    /// <summary>Fraction of the budget during which the prototype layer does not learn.</summary>
    public double FreezeLastLayer { get; init; }

    public string Describe() =>
        $"momentum {TeacherMomentum}, prototypes {Prototypes}, teacher temperature {TeacherTemperature}" +
        (TeacherTemperatureWarmup > 0 ? $" (from {TeacherTemperatureStart} over {TeacherTemperatureWarmup:P0})" : "");
}
