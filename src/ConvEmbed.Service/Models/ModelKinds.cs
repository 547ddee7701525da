namespace ConvEmbed.Service.Models;

/// <summary>The values of <c>models.kind</c>: how a model row is loaded.</summary>
public static class ModelKinds
{
    /// <summary>MFCC statistics with fixed standardisation constants in <c>settings</c>: the model before any training.</summary>
    public const string Bootstrap = "bootstrap-mfcc";

    /// <summary>A trained encoder in the model folder named by <c>folder</c>.</summary>
    public const string Encoder = "encoder";
}
