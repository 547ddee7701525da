using System.Net;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>The map's layout: computed in the background for the active model, following uploads and deletes.</summary>
public sealed class MapPointsTests : IAsyncLifetime
{
    private static readonly int[] Styles = [1, 4, 6]; // techno, strings, folk
    private const int PerStyle = 4;
    private readonly ConvEmbedApiFactory factory = new(MapLayoutWaits.FastMap);
    private readonly Dictionary<string, int> styleOf = [];
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        foreach (var style in Styles)
            for (var i = 0; i < PerStyle; i++)
                styleOf[await UploadAsync(style, 20 + i)] = style;
    }

    private async Task<string> UploadAsync(int style, int index)
    {
        var response = await client.PostTrackAsync(await TestAudio.TrackAsync(style, index, seconds: 15), $"s{style}_{index}.wav", ("tags", $"style{style}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task EveryTrackIsPlacedAndStylesStayTogetherAsInSearch()
    {
        var map = await client.WaitForMapAsync(styleOf.Count);
        var points = map.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(styleOf.Keys.Order(), points.Select(p => p.GetProperty("id").GetString()!).Order());
        Assert.Equal(styleOf.Count, map.GetProperty("placed").GetInt64());
        Assert.True(map.GetProperty("seconds").GetDouble() > 0);
        Assert.All(points, p => Assert.True(double.IsFinite(p.GetProperty("x").GetDouble()) && double.IsFinite(p.GetProperty("y").GetDouble())));
        Assert.All(points, p => Assert.Single(p.GetProperty("tags").EnumerateArray()));

        // The nearest point on the map is of the track's style about as often as the nearest neighbour in search is.
        var onMap = points.Count(p => styleOf[points.Where(q => q.GetProperty("id").GetString() != p.GetProperty("id").GetString())
            .MinBy(q => MapLayoutWaits.Distance2(p, q)).GetProperty("id").GetString()!] == styleOf[p.GetProperty("id").GetString()!]);
        var inSearch = 0;
        foreach (var (id, style) in styleOf)
        {
            var similar = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/similar?k=1"));
            if (styleOf[similar.GetProperty("items")[0].GetProperty("id").GetString()!] == style) inSearch++;
        }
        Assert.True(inSearch >= 9, $"the bootstrap model should tell these styles apart: {inSearch} of {styleOf.Count}");
        Assert.True(onMap >= inSearch - 2, $"nearest on the map has the same style for {onMap} tracks, in search for {inSearch}");
    }

    [Fact]
    public async Task ADeletedTrackLeavesTheMapAndANewOneJoinsIt()
    {
        await client.WaitForMapAsync(styleOf.Count);
        var gone = styleOf.Keys.First();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/tracks/{gone}")).StatusCode);
        var afterDelete = await Json.ReadAsync(await client.GetAsync("/map/points"));
        Assert.DoesNotContain(afterDelete.GetProperty("points").EnumerateArray(), p => p.GetProperty("id").GetString() == gone);

        var added = await UploadAsync(4, 40);
        var map = await client.WaitForMapAsync(styleOf.Count);
        Assert.Contains(map.GetProperty("points").EnumerateArray(), p => p.GetProperty("id").GetString() == added);
    }

    /// <summary>The points travel compressed to a client that accepts it, and a client that has them gets 304 until they change.</summary>
    [Fact]
    public async Task PointsAreCompressedAndRevalidatedByETag()
    {
        await client.WaitForMapAsync(styleOf.Count);
        var plain = await client.GetAsync("/map/points");
        var plainBytes = await plain.Content.ReadAsByteArrayAsync();
        var etag = plain.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        foreach (var encoding in new[] { "br", "gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/map/points");
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            using var compressed = await client.SendAsync(request);
            Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
            var wire = await compressed.Content.ReadAsByteArrayAsync();
            Assert.True(wire.Length < plainBytes.Length, $"{encoding}: {wire.Length} bytes on the wire for {plainBytes.Length} of JSON"); // 12 random ids compress little; 10 000 points: the benchmark
            using Stream unpacked = encoding == "br"
                ? new System.IO.Compression.BrotliStream(new MemoryStream(wire), System.IO.Compression.CompressionMode.Decompress)
                : new System.IO.Compression.GZipStream(new MemoryStream(wire), System.IO.Compression.CompressionMode.Decompress);
            var copy = new MemoryStream();
            await unpacked.CopyToAsync(copy);
            Assert.Equal(plainBytes, copy.ToArray());
        }

        using (var again = new HttpRequestMessage(HttpMethod.Get, "/map/points"))
        {
            again.Headers.IfNoneMatch.Add(etag!);
            using var notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }

        // A change to the map (a track gone) changes the tag: the old one no longer matches.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/tracks/{styleOf.Keys.Last()}")).StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/map/points");
        stale.Headers.IfNoneMatch.Add(etag!);
        using var changed = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    /// <summary>
    /// The answer is kept between requests, so whatever changes a point or a shown field must reach the next answer even
    /// when the map's counts stay the same: a point moved in place, a title edited (both straight in SQL, as a layout or
    /// a future edit would write them).
    /// </summary>
    [Fact]
    public async Task TheKeptAnswerFollowsEveryChangeOfPointsAndTitles()
    {
        var before = await client.WaitForMapAsync(styleOf.Count);
        var id = styleOf.Keys.First();
        var x = before.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id).GetProperty("x").GetDouble();
        await using (var connection = new Npgsql.NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { "UPDATE map_points SET x = x + 1000 WHERE track_id = $1", "UPDATE tracks SET title = 'renamed' WHERE id = $1" })
            {
                await using var edit = new Npgsql.NpgsqlCommand(sql, connection);
                edit.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(id) });
                await edit.ExecuteNonQueryAsync();
            }
        }
        var after = await Json.ReadAsync(await client.GetAsync("/map/points"));
        var point = after.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
        Assert.Equal(x + 1000, point.GetProperty("x").GetDouble(), 2);
        Assert.Equal("renamed", point.GetProperty("title").GetString());
        Assert.Equal(before.GetProperty("placed").GetInt64(), after.GetProperty("placed").GetInt64());
    }

    [Fact]
    public async Task AnUnknownFormatIsABadRequestNamingTheFormats()
    {
        var response = await client.GetAsync("/map/points?format=xml");
        Assert.Equal("Unknown format", await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task AnEmptyLibraryHasAnEmptyMap()
    {
        await using var empty = new ConvEmbedApiFactory(MapLayoutWaits.FastMap);
        var map = await Json.ReadAsync(await empty.CreateClient().GetAsync("/map/points"));
        Assert.Equal("empty", map.GetProperty("state").GetString());
        Assert.Equal(0, map.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task ThePageAndItsScriptsAreServedByTheServiceItself()
    {
        Assert.Equal(await client.GetStringAsync("/map"), await client.GetStringAsync("/map/"));
        var page = await client.GetStringAsync("/map");
        Assert.Contains("<canvas id=\"map\"", page);
        Assert.DoesNotContain("src=\"http", page);   // no CDN: every script comes from this service
        Assert.DoesNotContain("href=\"http", page);
        foreach (var script in new[] { "scatter.js", "map.js", "map.css" })
        {
            var response = await client.GetAsync($"/map/{script}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(script.EndsWith(".js") ? "javascript" : "css", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task TrainingStatusIsPublicAndEmptyBeforeTheFirstJob()
    {
        var status = await Json.ReadAsync(await client.GetAsync("/training/current"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("job").ValueKind);
    }
}
