namespace ConvEmbed.Model.Objectives;

/// <summary>
/// DINO's knobs (docs/method.md#dino-baseline). Defaults are the ones `bench dino-sweep` found best on the synthetic library
/// (momentum 0.99, 256 prototypes, teacher temperature 0.07; see docs/benchmarks.md#dinos-default); the paper's base setting is momentum
/// 0.996, 1024 prototypes, teacher temperature 0.04.
/// </summary>
public sealed record DinoSettings
{
    public double TeacherMomentum { get; init; } = 0.99;
    public int Prototypes { get; init; } = 256;
    public double TeacherTemperature { get; init; } = 0.07;
    public double StudentTemperature { get; init; } = 0.1;
    public double CenterMomentum { get; init; } = 0.9;
    public int LocalCrops { get; init; } = 4;

    public string Describe() =>
        $"momentum {TeacherMomentum}, prototypes {Prototypes}, teacher temperature {TeacherTemperature}";
}
