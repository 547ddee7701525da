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
        // Each candidate's largest cosine to a pick so far, updated with the newest pick only (not recomputed per round).
        var redundancy = new double[pool.Count];
        Array.Fill(redundancy, double.NegativeInfinity);
        var gone = new bool[pool.Count];
        for (var left = pool.Count; picked.Count < rules.Count && left > 0; left--)
        {
            var bestIndex = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (gone[i]) continue;
                var score = (1 - rules.Diversity) * pool[i].SeedSimilarity - (rules.Diversity == 0 || picked.Count == 0 ? 0 : rules.Diversity * redundancy[i]);
                if (bestIndex < 0 || score > bestScore) (bestIndex, bestScore) = (i, score);
            }
            gone[bestIndex] = true;
            var best = pool[bestIndex];
            if (!Allowed(best, picked, seeds, keys, perArtist, perAlbum, rules)) continue;
            if (rules.Diversity > 0)
                for (var i = 0; i < pool.Count; i++)
                    if (!gone[i]) redundancy[i] = Math.Max(redundancy[i], Dot(pool[i].Vector, best.Vector));
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
