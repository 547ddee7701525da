namespace ConvEmbed.Model.Mapping;

/// <summary>A track's position on the 2-D map.</summary>
public readonly record struct MapPoint(float X, float Y);
