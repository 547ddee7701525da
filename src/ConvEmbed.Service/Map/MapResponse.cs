namespace ConvEmbed.Service.Map;

/// <summary>The active model's map: where each track sits, and whether the layout is complete.</summary>
/// <param name="ModelId">The active model, whose vectors the layout shows.<example>3</example></param>
/// <param name="ModelName">Its name.<example>convembed encoder, 10 min</example></param>
/// <param name="State">ready (the last layout holds every track), computing (a layout is being made), pending (tracks were added or removed since the last layout — new ones are already placed next to their most similar tracks — or wait for a place) or empty (no tracks).<example>ready</example></param>
/// <param name="ComputedAt">When the layout shown was made; null before the first one.</param>
/// <param name="Seconds">How long it took to compute.<example>4.2</example></param>
/// <param name="Tracks">Tracks with a vector of the active model.<example>120</example></param>
/// <param name="Placed">Tracks on the map (the points below).<example>120</example></param>
/// <param name="Points">One point per placed track.</param>
public sealed record MapResponse(long ModelId, string ModelName, string State, DateTimeOffset? ComputedAt, double? Seconds, long Tracks, long Placed,
    IReadOnlyList<MapTrackPoint> Points);

/// <summary>A track on the map (coordinates are t-SNE's: only distances between points mean something).</summary>
/// <param name="Id">Track id.</param>
/// <param name="X">Horizontal position.<example>12.5</example></param>
/// <param name="Y">Vertical position.<example>-3.1</example></param>
/// <param name="Title">Title.<example>Night Drive</example></param>
/// <param name="Artist">Artist, if known.<example>The Synths</example></param>
/// <param name="Tags">Tags.<example>["synthwave"]</example></param>
public sealed record MapTrackPoint(Guid Id, float X, float Y, string Title, string? Artist, IReadOnlyList<string> Tags);
