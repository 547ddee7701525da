namespace ConvEmbed.Model.Passages;

/// <summary>Passage <paramref name="Index"/> of a track (its start is Index · hop): an ℓ2-normalised vector of the
/// stretch <paramref name="StartSeconds"/>..<paramref name="EndSeconds"/>.</summary>
public sealed record Passage(int Index, double StartSeconds, double EndSeconds, float[] Vector);

/// <summary>A track's vector and, when asked for, its passages (one forward pass gives both).</summary>
public sealed record TrackVectors(float[] Track, IReadOnlyList<Passage> Passages)
{
    public static TrackVectors TrackOnly(float[] track) => new(track, []);
}
