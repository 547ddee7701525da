namespace ConvEmbed.Service.Tracks;

/// <summary>The answer to an upload: the track, the model that embedded it and its vector.</summary>
/// <param name="ModelId">The active model that computed <paramref name="Embedding"/>.<example>1</example></param>
/// <param name="Embedding">ℓ2-normalised embedding (80 values for the bootstrap model).</param>
public sealed record UploadedTrack(Guid Id, string Sha256, string Title, string? Artist, string? Album, IReadOnlyList<string> Tags,
    double DurationSeconds, string ContentType, long SizeBytes, DateTimeOffset CreatedAt, long ModelId, float[] Embedding)
{
    public static UploadedTrack Of(Track t, long modelId, float[] embedding) =>
        new(t.Id, t.Sha256, t.Title, t.Artist, t.Album, t.Tags, t.DurationSeconds, t.ContentType, t.SizeBytes, t.CreatedAt, modelId, embedding);
}
