using System.Net;
using System.Text.Json;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>A map that stays put: a new track appears at once among its neighbours without moving the others, and
/// the re-layout that follows starts from the map as it is.</summary>
public sealed class StableMapTests
{
    private static readonly int[] Styles = [1, 4, 6]; // techno, strings, folk

    [Fact]
    public async Task ANewTrackJoinsItsRegionAtOnceAndTheReLayoutKeepsTheMapInPlace()
    {
        var settings = new Dictionary<string, string?>(MapLayoutWaits.FastMap) { ["ConvEmbed:Map:RefreshSeconds"] = "8" };
        await using var factory = new ConvEmbedApiFactory(settings);
        var client = factory.CreateClient();
        var styleOf = new Dictionary<string, int>();
        foreach (var style in Styles)
            for (var i = 0; i < 4; i++)
                styleOf[await UploadAsync(client, style, 50 + i)] = style;
        // A full layout of all twelve (the first one ran when the first upload arrived; later ones were placed).
        var uploaded = DateTimeOffset.UtcNow;
        var first = await LayoutAfterAsync(client, styleOf.Count, uploaded);
        var before = Positions(first);

        var added = await UploadAsync(client, 4, 60);
        styleOf[added] = 4;
        var placed = await client.WaitForMapAsync(styleOf.Count);

        // At once, before the next layout: the same layout, every old point where it was, the new one among strings.
        Assert.Equal(first.GetProperty("computedAt").GetString(), placed.GetProperty("computedAt").GetString());
        var now = Positions(placed);
        Assert.All(before, p => Assert.Equal(p.Value, now[p.Key]));
        var nearest = before.MinBy(p => Distance2(p.Value, now[added])).Key;
        Assert.Equal(4, styleOf[nearest]);

        // Then the re-layout (the tracks changed since the last one), from the current positions.
        var relaid = await LayoutAfterAsync(client, styleOf.Count, first.GetProperty("computedAt").GetDateTimeOffset());
        var after = Positions(relaid);
        Assert.True(MedianMove(now, after) < 0.25, $"the re-layout moved the median point {MedianMove(now, after):0.000} of the map's spread");
    }

    /// <summary>The map once a layout made after <paramref name="after"/> is ready with <paramref name="tracks"/> points.</summary>
    private static async Task<JsonElement> LayoutAfterAsync(HttpClient client, int tracks, DateTimeOffset after)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var map = await client.WaitForMapAsync(tracks);
            if (map.GetProperty("computedAt").GetDateTimeOffset() > after) return map;
            Assert.True(DateTime.UtcNow < deadline, $"no layout after {after:O} within a minute: {map.GetProperty("computedAt")}");
            await Task.Delay(300);
        }
    }

    private static async Task<string> UploadAsync(HttpClient client, int style, int index)
    {
        var response = await client.PostTrackAsync(await TestAudio.TrackAsync(style, index, seconds: 15), $"s{style}_{index}.wav");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("id").GetString()!;
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
