using ConvEmbed.Model.Encoding;

namespace ConvEmbed.Model.Objectives;

/// <summary>Builds an objective from the names the CLI and checkpoints use: "convembed" (with a variant) or "dino".</summary>
public static class ObjectiveFactory
{
    public const string ConvEmbed = "convembed", Dino = "dino";

    public static Objective Create(string objective, EncoderConfig encoder, Variant variant = Variant.InfoNce, DinoSettings? dino = null,
        double temperature = InfoNceObjective.Temperature, int queueSize = 0, bool otherWindows = false) =>
        objective.ToLowerInvariant() switch
        {
            ConvEmbed => SinglePassObjective.Create(variant, encoder, temperature, queueSize, otherWindows),
            Dino => new DinoObjective(encoder, dino ?? new DinoSettings()),
            _ => throw new ArgumentException($"unknown objective '{objective}' (known: {ConvEmbed}, {Dino})"),
        };
}
