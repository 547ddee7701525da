using ConvEmbed.Model.Playlists;

namespace ConvEmbed.Service.Playlists;

/// <summary>Body of <c>POST /radio</c>.</summary>
/// <param name="Seeds">Track ids, or paths of library files, the radio should sound like (1–20).<example>["0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10"]</example></param>
/// <param name="Count">Tracks in the playlist, 1–500 (default 30).<example>30</example></param>
/// <param name="MaxPerArtist">At most this many tracks of one artist (default: no limit).<example>2</example></param>
/// <param name="MaxPerAlbum">At most this many tracks of one album (default: no limit).<example>1</example></param>
/// <param name="Exclude">Track ids never to play.</param>
/// <param name="Diversity">0 = simply the nearest tracks; up to 1 = each next track unlike those already picked (default 0.3).<example>0.3</example></param>
/// <param name="DuplicateSimilarity">A track this similar (cosine) to a seed or a pick counts as the same recording (default 0.995).<example>0.995</example></param>
public sealed record RadioRequest(IReadOnlyList<string>? Seeds, int? Count = null, int? MaxPerArtist = null, int? MaxPerAlbum = null,
    IReadOnlyList<Guid>? Exclude = null, double? Diversity = null, double? DuplicateSimilarity = null)
{
    public const int MaxCount = 500, MaxSeeds = 20;

    public (RadioRules? Rules, IReadOnlyList<string> Errors) Validate()
    {
        var errors = new List<string>();
        if (Seeds is not { Count: > 0 }) errors.Add("seeds must name at least one track (an id or a library path).");
        else if (Seeds.Count > MaxSeeds) errors.Add($"seeds may name at most {MaxSeeds} tracks (was {Seeds.Count}).");
        else if (Seeds.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains('\0')))
            errors.Add("every seed must be a track id or a library path (an empty seed, or one with a NUL character, is neither).");
        if (Count is < 1 or > MaxCount) errors.Add($"count must be between 1 and {MaxCount} (was {Count}).");
        if (MaxPerArtist is < 1) errors.Add($"maxPerArtist must be at least 1 (was {MaxPerArtist}).");
        if (MaxPerAlbum is < 1) errors.Add($"maxPerAlbum must be at least 1 (was {MaxPerAlbum}).");
        if (Diversity is < 0 or > 1) errors.Add($"diversity must be between 0 and 1 (was {Diversity}).");
        if (DuplicateSimilarity is <= 0 or > 1) errors.Add($"duplicateSimilarity must be in (0, 1] (was {DuplicateSimilarity}).");
        return errors.Count > 0
            ? (null, errors)
            : (new RadioRules(Count ?? RadioRules.DefaultCount, MaxPerArtist, MaxPerAlbum, (Exclude ?? []).Select(id => id.ToString()).ToHashSet(),
                Diversity ?? RadioRules.DefaultDiversity, DuplicateSimilarity ?? RadioRules.DefaultDuplicateSimilarity), []);
    }
}
