namespace ConvEmbed.Model.Playlists;

/// <summary>
/// Chooses a radio's tracks from candidates near the seeds, greedily by maximal marginal relevance:
/// score(c) = (1 − λ)·cos(c, seeds) − λ·max over picked p of cos(c, p), λ = <see cref="RadioRules.Diversity"/>
/// (0: simply the nearest; towards 1: each next track unlike those already picked). Seeds, excluded tracks and near
/// duplicates (the same title and artist as a seed or a pick — a re-release, the same song on two albums — or a cosine
/// at or above <see cref="RadioRules.DuplicateSimilarity"/>) are never picked; at most N per artist and per album.
/// Vectors are ℓ2-normalised, so a dot product is the cosine.
/// </summary>
public static class RadioPicker
{
    public static IReadOnlyList<RadioCandidate> Pick(IReadOnlyList<RadioCandidate> candidates, IReadOnlyList<RadioCandidate> seeds, RadioRules rules)
    {
        var picked = new List<RadioCandidate>();
        var keys = seeds.Select(DuplicateKey).ToHashSet();
        var perArtist = new Dictionary<string, int>();
        var perAlbum = new Dictionary<string, int>();
        var seedIds = seeds.Select(s => s.Id).ToHashSet();
        var pool = candidates.Where(c => !seedIds.Contains(c.Id) && !rules.Exclude.Contains(c.Id)).ToList();
        while (picked.Count < rules.Count && pool.Count > 0)
        {
            var best = pool[0];
            var bestScore = double.NegativeInfinity;
            foreach (var c in pool)
            {
                var redundancy = picked.Count == 0 ? 0 : picked.Max(p => Dot(c.Vector, p.Vector));
                var score = (1 - rules.Diversity) * c.SeedSimilarity - rules.Diversity * redundancy;
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            pool.Remove(best);
            if (!Allowed(best, picked, seeds, keys, perArtist, perAlbum, rules)) continue;
            picked.Add(best);
            keys.Add(DuplicateKey(best));
            Count(perArtist, best.Artist);
            Count(perAlbum, best.Album);
        }
        return picked;
    }

    private static bool Allowed(RadioCandidate c, List<RadioCandidate> picked, IReadOnlyList<RadioCandidate> seeds, HashSet<string> keys,
        Dictionary<string, int> perArtist, Dictionary<string, int> perAlbum, RadioRules rules)
    {
        if (keys.Contains(DuplicateKey(c))) return false;
        if (seeds.Concat(picked).Any(o => Dot(c.Vector, o.Vector) >= rules.DuplicateSimilarity)) return false;
        if (rules.MaxPerArtist is { } artists && Normal(c.Artist) is { } artist && perArtist.GetValueOrDefault(artist) >= artists) return false;
        if (rules.MaxPerAlbum is { } albums && Normal(c.Album) is { } album && perAlbum.GetValueOrDefault(album) >= albums) return false;
        return true;
    }

    /// <summary>Title and artist, case and spacing ignored: what makes two files the same song.</summary>
    private static string DuplicateKey(RadioCandidate c) => $"{Normal(c.Title)}\u001f{Normal(c.Artist)}";

    private static string? Normal(string? s) => string.IsNullOrWhiteSpace(s) ? null : string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static void Count(Dictionary<string, int> counts, string? key)
    {
        if (Normal(key) is { } k) counts[k] = counts.GetValueOrDefault(k) + 1;
    }

    public static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
