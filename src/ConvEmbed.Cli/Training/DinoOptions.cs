using System.CommandLine;
using ConvEmbed.Model.Objectives;

namespace ConvEmbed.Cli.Training;

/// <summary>The DINO knobs a command exposes (defaults: <see cref="DinoSettings"/>, chosen by `bench dino-sweep`).</summary>
public sealed class DinoOptions
{
    private static readonly DinoSettings Defaults = new();

    public Option<double> Momentum { get; } = new Option<double>("--dino-momentum")
        { Description = "DINO: teacher momentum at the start (cosine to 1).", DefaultValueFactory = _ => Defaults.TeacherMomentum }
        .Must(v => v is > 0 and < 1, "must be between 0 and 1");

    public Option<int> Prototypes { get; } = new Option<int>("--dino-prototypes")
        { Description = "DINO: prototypes of the head.", DefaultValueFactory = _ => Defaults.Prototypes }
        .Must(v => v >= 2, "must be at least 2");

    public Option<double> TeacherTemperature { get; } = new Option<double>("--dino-teacher-temp")
        { Description = "DINO: teacher temperature (the student's is 0.1).", DefaultValueFactory = _ => Defaults.TeacherTemperature }
        .Must(v => v > 0, "must be positive");

    public void AddTo(Command command)
    {
        command.Options.Add(Momentum);
        command.Options.Add(Prototypes);
        command.Options.Add(TeacherTemperature);
    }

    public DinoSettings Read(ParseResult parse)
    {
        return Defaults with
        {
            TeacherMomentum = parse.GetValue(Momentum),
            Prototypes = parse.GetValue(Prototypes),
            TeacherTemperature = parse.GetValue(TeacherTemperature),
        };
    }
}
