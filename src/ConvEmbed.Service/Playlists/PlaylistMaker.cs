using ConvEmbed.Model.Evaluation;
using ConvEmbed.Model.Playlists;
using ConvEmbed.Service.Errors;
using ConvEmbed.Service.Library;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Search;
using ConvEmbed.Service.Tracks;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Playlists;

/// <summary>
/// Radios and sonic paths over the active model's vectors: candidates come from the vector index (HNSW), the choice
/// among them from <see cref="RadioPicker"/> or <see cref="SonicPath"/>. Seeds are track ids or library paths; a path
/// outside the library folders is refused, so no request can make the service name or serve a file outside them.
/// </summary>
public sealed class PlaylistMaker(ModelStore models, TrackStore tracks, SimilarityIndex index, IOptions<LibraryOptions> library)
{
    private const int MaxCandidates = 1000;

    public async Task<Playlist> RadioAsync(IReadOnlyList<string> seedNames, RadioRules rules, CancellationToken ct)
    {
        var model = await ActiveAsync(ct);
        var seedIds = new List<Guid>();
        foreach (var name in seedNames) seedIds.Add(await ResolveAsync(name, ct));
        var seeds = await WithVectorsAsync(seedIds.Distinct().ToList(), model, ct);
        var query = EmbeddingNormalisation.Normalise(Mean(seeds.Select(s => s.Vector).ToList()));

        var k = Math.Min(MaxCandidates, Math.Max(100, rules.Count * 10 + seeds.Count + rules.Exclude.Count));
        var near = await index.NearestAsync(query, model.Id, model.Dimension, k, SearchFilter.None, exact: false, ct);
        var found = await tracks.GetWithVectorsAsync(near.Select(n => n.Id).ToList(), model.Id, ct);
        var candidates = near.Where(n => found.ContainsKey(n.Id)).Select(n => Candidate(found[n.Id].Track, found[n.Id].Vector, n.Similarity)).ToList();
        var picked = RadioPicker.Pick(candidates, seeds.Select(s => Candidate(s.Track, s.Vector, 1)).ToList(), rules);
        return new Playlist(model.Id, picked.Select(c => Item(found[Guid.Parse(c.Id)].Track, c.SeedSimilarity)).ToList());
    }

    /// <summary><paramref name="count"/> tracks from one to the other (both included), each near the next way point.</summary>
    public async Task<Playlist> PathAsync(Guid from, Guid to, int count, CancellationToken ct)
    {
        if (from == to)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "A path needs two different tracks", "from and to are the same track.");
        var model = await ActiveAsync(ct);
        var ends = await WithVectorsAsync([from, to], model, ct);
        var (start, end) = (ends.Single(e => e.Track.Id == from), ends.Single(e => e.Track.Id == to));
        var steps = new List<Guid>();
        var used = new HashSet<Guid> { from, to };
        foreach (var point in SonicPath.WayPoints(start.Vector, end.Vector, count))
        {
            // One more neighbour than tracks used so far: at least one of them is new unless the library has no more.
            var near = await index.NearestAsync(point, model.Id, model.Dimension, used.Count + 1, SearchFilter.None, exact: false, ct);
            if (near.FirstOrDefault(n => !used.Contains(n.Id)) is not { } next) break; // the library has no more tracks to offer
            used.Add(next.Id);
            steps.Add(next.Id);
        }
        var found = await tracks.GetWithVectorsAsync(steps, model.Id, ct); // the steps' rows and vectors in one query
        var route = new List<(Track Track, float[] Vector)> { start };
        route.AddRange(steps.Where(found.ContainsKey).Select(id => found[id]));
        route.Add(end);
        return new Playlist(model.Id, route.Select((r, i) => Item(r.Track, i == 0 ? 1 : Math.Round(RadioPicker.Dot(r.Vector, route[i - 1].Vector), 6))).ToList());
    }

    /// <summary>A track id, or the path of a library file inside the configured folders.</summary>
    private async Task<Guid> ResolveAsync(string name, CancellationToken ct)
    {
        if (Guid.TryParse(name, out var id))
            return (await tracks.GetAsync(id, ct))?.Id ?? throw TrackIds.NotFound(id);
        var path = Path.GetFullPath(name);
        if (!library.Value.Contains(path))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The seed is outside the library folders",
                $"'{name}' is neither a track id nor a file in {LibraryOptions.Section}:Folders.");
        return (await tracks.GetByPathAsync(path, ct))?.Id
               ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "No track for that library file",
                   $"'{path}' is not indexed (yet): see GET /library and GET /library/problems.");
    }

    private async Task<ModelRow> ActiveAsync(CancellationToken ct) =>
        await models.GetActiveAsync(ct) ?? throw new InvalidOperationException("No model is active: is the database initialised?");

    private async Task<List<(Track Track, float[] Vector)>> WithVectorsAsync(List<Guid> ids, ModelRow model, CancellationToken ct)
    {
        var found = await tracks.GetWithVectorsAsync(ids, model.Id, ct);
        foreach (var id in ids)
            if (!found.ContainsKey(id))
                throw await tracks.GetAsync(id, ct) is null
                    ? TrackIds.NotFound(id)
                    : new ApiProblemException(StatusCodes.Status409Conflict, "The track has no vector in the active model yet",
                        $"Model {model.Id} is active; track {id} is being embedded with it.");
        return ids.Select(id => found[id]).ToList();
    }

    private static RadioCandidate Candidate(Track t, float[] vector, double seedSimilarity) =>
        new(t.Id.ToString(), t.Title, t.Artist, t.Album, vector, seedSimilarity);

    private static PlaylistItem Item(Track t, double similarity) =>
        new(t.Id, t.Title, t.Artist, t.Album, t.DurationSeconds, Math.Round(similarity, 6), t.Path, $"/tracks/{t.Id}/audio");

    private static float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var mean = new float[vectors[0].Length];
        foreach (var v in vectors)
            for (var d = 0; d < mean.Length; d++) mean[d] += v[d] / vectors.Count;
        return mean;
    }

}
