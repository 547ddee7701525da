namespace ConvEmbed.Model.Playlists;

/// <summary>What a radio may pick: how many, at most how many per artist and album, which never, how diverse, and from
/// which cosine on two tracks count as the same recording.</summary>
public sealed record RadioRules(int Count, int? MaxPerArtist, int? MaxPerAlbum, IReadOnlySet<string> Exclude, double Diversity, double DuplicateSimilarity)
{
    public const int DefaultCount = 30;
    public const double DefaultDiversity = 0.3, DefaultDuplicateSimilarity = 0.995;
}
