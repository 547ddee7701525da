using ConvEmbed.Model.Encoding;
using ConvEmbed.Model.Objectives;

namespace ConvEmbed.Model.Training;

/// <summary>What to train: objective ("convembed" with a variant and its InfoNCE temperature, or "dino" with its
/// settings) on which encoder.</summary>
public sealed record RunSpec(string Objective, Variant Variant, EncoderConfig Encoder, DinoSettings Dino)
{
    /// <summary>τ of ConvEmbed's InfoNCE variants (a research setting; DINO has its own temperatures).</summary>
    public double Temperature { get; init; } = InfoNceObjective.Temperature;

    /// <summary>ConvEmbed's queue of past globals as extra negatives (a research setting; 0: none).</summary>
    public int QueueSize { get; init; }

    /// <summary>ConvEmbed with several windows per track: each window's locals against the mean of its track's other
    /// windows (a research setting).</summary>
    public bool OtherWindows { get; init; }

    public Objective Create(long seed)
    {
        Torch.Torch.manual_seed(seed);
        var single = Objective != ObjectiveFactory.Dino;
        return ObjectiveFactory.Create(Objective, Encoder, Variant, Dino, Temperature, single ? QueueSize : 0, single && OtherWindows);
    }

    /// <summary>The objective as named in checkpoints: "convembed/infonce", "dino", ….</summary>
    public string Name => Objective == ObjectiveFactory.Dino ? ObjectiveFactory.Dino : $"{ObjectiveFactory.ConvEmbed}/{Variant.Name()}";

    public string Describe() => Objective == ObjectiveFactory.Dino ? $"dino ({Dino.Describe()})" : Name;

    /// <summary>Reads back a checkpoint's objective name.</summary>
    public static RunSpec FromName(string name, EncoderConfig encoder, DinoSettings? dino)
    {
        if (name == ObjectiveFactory.Dino) return new(ObjectiveFactory.Dino, Variant.InfoNce, encoder, dino ?? new DinoSettings());
        var parts = name.Split('/');
        if (parts.Length != 2 || parts[0] != ObjectiveFactory.ConvEmbed) throw new InvalidDataException($"unknown objective '{name}' in the saved run");
        return new(ObjectiveFactory.ConvEmbed, Variants.Parse(parts[1]), encoder, new DinoSettings());
    }
}
