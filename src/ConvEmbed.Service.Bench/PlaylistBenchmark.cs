using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace ConvEmbed.Service.Bench;

/// <summary>
/// Playlists at a given library size (the tracks and vectors <see cref="VectorBenchmark"/> put in): <c>POST /radio</c>
/// of 30 tracks from one random seed with the default rules (diversity 0.3, duplicate filter), and
/// <c>GET /tracks/{from}/path/{to}?count=10</c> between two random tracks, each timed over HTTP after a warm-up.
/// The synthetic tracks have no artist or album, so the per-artist and per-album limits never bite.
/// </summary>
internal sealed class PlaylistBenchmark(string connectionString, HttpClient client)
{
    public sealed record Result(int Tracks, int Queries, double RadioP50Ms, double RadioP99Ms, double PathP50Ms, double PathP99Ms);

    public async Task<Result> RunAsync(int size, int queries)
    {
        var ids = new List<Guid>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var pick = new NpgsqlCommand(
                $"SELECT track_id FROM embeddings WHERE model_id = (SELECT id FROM models WHERE is_active) ORDER BY random() LIMIT {2 * queries + 20}", connection);
            await using var reader = await pick.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        }
        if (ids.Count < 2 * queries + 20) throw new InvalidOperationException($"only {ids.Count} tracks to pick from");

        for (var i = 0; i < 10; i++) // warm-up: connections, plans, index pages
        {
            await RadioAsync(ids[i]);
            await PathAsync(ids[i], ids[i + 10]);
        }
        var radio = new List<double>();
        var path = new List<double>();
        for (var i = 0; i < queries; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await RadioAsync(ids[20 + i]);
            radio.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            t0 = Stopwatch.GetTimestamp();
            await PathAsync(ids[20 + i], ids[20 + queries + i]);
            path.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return new Result(size, queries, Percentiles.Of(radio, 50), Percentiles.Of(radio, 99), Percentiles.Of(path, 50), Percentiles.Of(path, 99));
    }

    private async Task RadioAsync(Guid seed)
    {
        using var response = await client.PostAsJsonAsync("/radio", new { seeds = new[] { seed.ToString() }, count = 30 });
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"radio answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    }

    private async Task PathAsync(Guid from, Guid to)
    {
        using var response = await client.GetAsync($"/tracks/{from}/path/{to}?count=10");
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"path answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    }
}
