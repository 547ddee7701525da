namespace ConvEmbed.Model.Objectives;

/// <summary>The ConvEmbed losses of docs/method.md#variants; <see cref="InfoNce"/> (with stop-gradient) is the default.</summary>
public enum Variant
{
    InfoNce,
    InfoNceNoStopGrad,
    VicReg,
    DinoFree,
}

public static class Variants
{
    public static string Name(this Variant v) => v switch
    {
        Variant.InfoNce => "infonce",
        Variant.InfoNceNoStopGrad => "infonce-nosg",
        Variant.VicReg => "vicreg",
        Variant.DinoFree => "dinofree",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    public static Variant Parse(string name) =>
        Enum.GetValues<Variant>().FirstOrDefault(v => v.Name() == name.ToLowerInvariant(), (Variant)(-1)) is var v && Enum.IsDefined(v)
            ? v
            : throw new ArgumentException($"unknown variant '{name}' (known: {string.Join(", ", Enum.GetValues<Variant>().Select(Name))})");
}
