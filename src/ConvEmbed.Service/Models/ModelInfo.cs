using System.Text.Json.Serialization;

namespace ConvEmbed.Service.Models;

/// <summary>A model as the admin API lists it.</summary>
/// <param name="Id">Model id.<example>2</example></param>
/// <param name="Kind">bootstrap-mfcc or encoder.<example>encoder</example></param>
/// <param name="Name">What it is.<example>convembed/infonce rf0.1, job 3</example></param>
/// <param name="Objective">Training objective (encoders).<example>convembed/infonce</example></param>
/// <param name="Encoder">Encoder preset (encoders).<example>rf0.1</example></param>
/// <param name="Steps">Training steps (encoders).<example>1150</example></param>
/// <param name="Minutes">Training time in minutes (encoders).<example>10</example></param>
/// <param name="TrainingLoss">Final training loss (encoders).<example>1.93</example></param>
/// <param name="Dimension">Vector length.<example>256</example></param>
/// <param name="Active">Whether it answers searches now.<example>true</example></param>
/// <param name="Vectors">Tracks that have a vector of this model.<example>1200</example></param>
/// <param name="Tracks">Tracks in the library.<example>1200</example></param>
/// <param name="PassageSeconds">Length of this model's passages (docs/passages.md), fixed when it was registered.<example>3</example></param>
/// <param name="PassageHopSeconds">Seconds between the starts of this model's consecutive passages.<example>1.5</example></param>
/// <param name="Whitened">Whether its track vectors are whitened by a whitening stored with it (trained with
/// <c>whiten: true</c>).<example>false</example></param>
public sealed record ModelInfo(long Id, string Kind, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, string? Objective,
    string? Encoder, int? Steps, double? Minutes, double? TrainingLoss, int Dimension, bool Active, long Vectors, long Tracks,
    double PassageSeconds, double PassageHopSeconds, bool Whitened = false)
{
    /// <summary>Vectors / tracks, rounded for display: 1 means every track can be searched with it.<example>1.0</example></summary>
    public double Coverage => Tracks == 0 ? 1 : Math.Round((double)Vectors / Tracks, 4);

    /// <summary>Whether every track has a vector of this model: decided on the counts, never on the rounded coverage.</summary>
    [JsonIgnore]
    public bool CoversEveryTrack => Vectors >= Tracks;
}
