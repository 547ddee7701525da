namespace ConvEmbed.Model.Mapping;

/// <summary>Where a t-SNE run is: "neighbours", "affinities", then "optimising" iteration by iteration.</summary>
public sealed record TsneProgress(string Phase, int Iteration, int Iterations);
