using System.Text.Json;
using ConvEmbed.Service.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>
/// A map that stays put: new tracks appear at once among their neighbours without moving the others, and the re-layout
/// that follows starts from the map as it is. A map must be laid out at real size before it is kept (a few hundred
/// tracks), so the library is written straight into the database: tracks of six styles with clustered vectors of the
/// active model (what an import would store), the service's map worker doing the rest.
/// </summary>
public sealed class StableMapTests
{
    private const int Styles = 6;

    [Fact]
    public async Task NewTracksJoinTheirRegionAtOnceAndTheReLayoutKeepsTheMapInPlace()
    {
        var settings = new Dictionary<string, string?>(MapLayoutWaits.FastMap) { ["ConvEmbed:Map:RefreshSeconds"] = "15" };
        await using var factory = new ConvEmbedApiFactory(settings);
        var client = factory.CreateClient();
        var active = await Json.ReadAsync(await client.GetAsync("/models/active"));
        var (model, dimension) = (active.GetProperty("id").GetInt64(), active.GetProperty("dimension").GetInt32());
        var random = new Random(11);
        var centres = Enumerable.Range(0, Styles).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray()).ToArray();
        var styleOf = new Dictionary<string, int>();
        await AddTracksAsync(factory, model, centres, perStyle: 40, random, styleOf);
        var first = await client.WaitForMapAsync(styleOf.Count);
        var before = Positions(first);

        var added = await AddTracksAsync(factory, model, centres, perStyle: 1, random, styleOf);
        var placed = await WaitForPointsAsync(client, styleOf.Count);

        // At once, before the next layout: the same layout, every old point where it was, each new one in its style's region.
        Assert.Equal("pending", placed.GetProperty("state").GetString());
        Assert.Equal(first.GetProperty("computedAt").GetString(), placed.GetProperty("computedAt").GetString());
        var now = Positions(placed);
        Assert.All(before, p => Assert.Equal(p.Value, now[p.Key]));
        foreach (var id in added)
        {
            var nearest = before.OrderBy(p => Distance2(p.Value, now[id])).Take(5).Select(p => styleOf[p.Key]).ToList();
            Assert.True(nearest.Count(s => s == styleOf[id]) >= 4, $"a new track of style {styleOf[id]} landed among styles {string.Join(",", nearest)}");
        }

        // Then the re-layout (the tracks changed since the last one), from the current positions.
        var relaid = await client.WaitForMapAsync(styleOf.Count);
        Assert.NotEqual(first.GetProperty("computedAt").GetString(), relaid.GetProperty("computedAt").GetString());
        var move = MedianMove(now, Positions(relaid));
        Assert.True(move < 0.2, $"the re-layout moved the median point {move:0.000} of the map's spread");
    }

    /// <summary>Writes tracks and their vectors (style centre + noise) as an import would; returns the new ids.</summary>
    private static async Task<List<string>> AddTracksAsync(ConvEmbedApiFactory factory, long model, float[][] centres, int perStyle, Random random,
        Dictionary<string, int> styleOf)
    {
        var ids = new List<string>();
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        for (var style = 0; style < centres.Length; style++)
            for (var i = 0; i < perStyle; i++)
            {
                var id = Guid.NewGuid();
                await using (var track = new NpgsqlCommand("""
                    INSERT INTO tracks (id, sha256, title, duration_seconds, content_type, size_bytes)
                    VALUES ($1, encode(sha256(($1::text)::bytea), 'hex'), $2, 60, 'audio/wav', 1)
                    """, connection, tx))
                {
                    track.Parameters.Add(new NpgsqlParameter { Value = id });
                    track.Parameters.Add(new NpgsqlParameter { Value = $"style {style} track {i}" });
                    await track.ExecuteNonQueryAsync();
                }
                var vector = centres[style].Select(c => c + 0.35f * (random.NextSingle() - 0.5f)).ToArray();
                await using (var embedding = new NpgsqlCommand("INSERT INTO embeddings (model_id, track_id, embedding) VALUES ($1, $2, $3::real[]::vector)", connection, tx))
                {
                    embedding.Parameters.Add(new NpgsqlParameter { Value = model });
                    embedding.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
                    embedding.Parameters.Add(new NpgsqlParameter { Value = vector });
                    await embedding.ExecuteNonQueryAsync();
                }
                styleOf[id.ToString()] = style;
                ids.Add(id.ToString());
            }
        await tx.CommitAsync();
        return ids;
    }

    /// <summary>/map/points once it has <paramref name="count"/> points, whatever its state.</summary>
    private static async Task<JsonElement> WaitForPointsAsync(HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var map = await Json.ReadAsync(await client.GetAsync("/map/points"));
            if (map.GetProperty("points").GetArrayLength() == count) return map;
            Assert.True(DateTime.UtcNow < deadline, $"the map did not reach {count} points: {map.GetProperty("state")}, {map.GetProperty("points").GetArrayLength()}");
            await Task.Delay(100);
        }
    }

    private static Dictionary<string, (double X, double Y)> Positions(JsonElement map) =>
        map.GetProperty("points").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetString()!, p => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble()));

    private static double Distance2((double X, double Y) a, (double X, double Y) b) => Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2);

    /// <summary>Median distance a point moved, after the best uniform rescale about the centres (t-SNE maps grow as they
    /// iterate: growth is forgiven, a rotation or a jump is not), in units of the old map's spread.</summary>
    private static double MedianMove(Dictionary<string, (double X, double Y)> old, Dictionary<string, (double X, double Y)> moved)
    {
        var ids = old.Keys.ToList();
        (double X, double Y) Centre(Dictionary<string, (double X, double Y)> m) => (ids.Average(i => m[i].X), ids.Average(i => m[i].Y));
        var (co, cm) = (Centre(old), Centre(moved));
        double num = 0, den = 0;
        foreach (var i in ids)
        {
            var (ox, oy, mx, my) = (old[i].X - co.X, old[i].Y - co.Y, moved[i].X - cm.X, moved[i].Y - cm.Y);
            num += ox * mx + oy * my;
            den += mx * mx + my * my;
        }
        var s = num / den;
        var spread = Math.Sqrt(ids.Average(i => Math.Pow(old[i].X - co.X, 2) + Math.Pow(old[i].Y - co.Y, 2)));
        var moves = ids.Select(i => Math.Sqrt(Math.Pow(s * (moved[i].X - cm.X) - (old[i].X - co.X), 2) + Math.Pow(s * (moved[i].Y - cm.Y) - (old[i].Y - co.Y), 2)) / spread)
            .Order().ToList();
        return moves[moves.Count / 2];
    }
}
