using System.Text.Json;
using ConvEmbed.Service.Tests.Support;
using Microsoft.Playwright;
using SkiaSharp;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>The map page in a real headless Chromium against the running service.</summary>
public sealed class MapPageTests(MapPageFixture library) : IClassFixture<MapPageFixture>
{
    private Task<JsonElement> ColoursAsync(IPage page) =>
        page.EvaluateAsync<JsonElement>("ids => ids.map(id => window.convembedMap.scatter.colorOf(id))", library.Tracks.Keys.ToArray());

    [Fact]
    public async Task ThePageDrawsOnePointPerTrackWithoutErrors()
    {
        var (page, errors) = await library.OpenMapAsync();
        Assert.Equal(library.Tracks.Count.ToString(), await page.Locator("canvas#map").GetAttributeAsync("data-points"));
        Assert.Equal(library.Tracks.Count, await page.EvaluateAsync<int>("() => window.convembedMap.scatter.pointCount()"));
        Assert.Equal("ready", await page.EvaluateAsync<string>("() => document.body.dataset.state"));
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>
    /// The page reads the points in their binary form, compressed on the wire; decoded in Chromium they are the JSON
    /// answer's points (same ids, titles, artists, tags; coordinates equal as float32).
    /// </summary>
    [Fact]
    public async Task ThePageReadsTheCompressedBinaryPointsAsTheJsonAnswerHasThem()
    {
        var (page, errors) = await library.OpenMapAsync();
        var request = await page.EvaluateAsync<JsonElement>("""
            () => { const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('/map/points?format=binary'));
                    return e ? { encoded: e.encodedBodySize, decoded: e.decodedBodySize } : null; }
            """);
        Assert.Equal(JsonValueKind.Object, request.ValueKind);
        Assert.True(request.GetProperty("encoded").GetInt64() < request.GetProperty("decoded").GetInt64(),
            $"binary points not compressed on the wire: {request}");
        // The points were asked for once before they were read: the page's preload, which its own request then used.
        var loads = await page.EvaluateAsync<string[]>("""
            () => { const read = performance.getEntriesByName('convembed-map-received')[0].startTime;
                    return performance.getEntriesByType('resource')
                        .filter(r => r.name.endsWith('/map/points?format=binary') && r.startTime <= read).map(r => r.initiatorType); }
            """);
        Assert.Equal(["link"], loads);
        var mismatches = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const api = await import('./api.js');
                const binary = await api.getMapPoints();
                const json = await (await fetch('/map/points', { cache: 'no-store' })).json();
                const byId = new Map(json.points.map(p => [p.id, p]));
                const wrong = [];
                if (binary.points.length !== json.points.length) wrong.push(`count ${binary.points.length} vs ${json.points.length}`);
                for (const key of ['modelId', 'modelName', 'state', 'computedAt', 'tracks', 'placed'])
                    if (binary[key] !== json[key]) wrong.push(`${key}: ${binary[key]} vs ${json[key]}`);
                for (const p of binary.points) {
                    const q = byId.get(p.id);
                    if (!q) { wrong.push(`unknown id ${p.id}`); continue; }
                    if (p.title !== q.title || p.artist !== q.artist || p.tags.join('|') !== q.tags.join('|')) wrong.push(`fields of ${p.id}`);
                    if (p.x !== Math.fround(q.x) || p.y !== Math.fround(q.y)) wrong.push(`position of ${p.id}: ${p.x},${p.y} vs ${q.x},${q.y}`);
                }
                return wrong;
            }
            """);
        Assert.Empty(mismatches.EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(library.Tracks.Count, await page.EvaluateAsync<int>("() => window.convembedMap.scatter.pointCount()"));
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task SwitchingTheColouringRecoloursThePointsAndTheLegend()
    {
        var (page, _) = await library.OpenMapAsync();
        var ids = library.Tracks.Keys.ToArray();

        var byArtist = (await ColoursAsync(page)).EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(2, await page.Locator("#legend .legend-item").CountAsync());
        await page.SelectOptionAsync("#color-by", "tag");
        var byTag = (await ColoursAsync(page)).EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(3, await page.Locator("#legend .legend-item").CountAsync());

        // One colour per artist, then one per tag: same group ⇔ same colour.
        for (var i = 0; i < ids.Length; i++)
            for (var j = 0; j < ids.Length; j++)
            {
                Assert.Equal(library.Tracks[ids[i]].Artist == library.Tracks[ids[j]].Artist, byArtist[i] == byArtist[j]);
                Assert.Equal(library.Tracks[ids[i]].Style == library.Tracks[ids[j]].Style, byTag[i] == byTag[j]);
            }
        Assert.Contains(await page.Locator("#legend .legend-item").First.GetAttributeAsync("data-category"),
            MapPageFixture.Styles.Select(s => $"style{s}"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task ClickingAPointListsTheSameNeighboursAsTheApi()
    {
        var (page, errors) = await library.OpenMapAsync();
        // The point farthest from every other on screen, so the click cannot land on a neighbour.
        var positions = new Dictionary<string, (double X, double Y)>();
        foreach (var id in library.Tracks.Keys)
        {
            var p = await page.EvaluateAsync<JsonElement>("id => window.convembedMap.scatter.screenPosition(id)", id);
            positions[id] = (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble());
        }
        var target = positions.MaxBy(a => positions.Where(b => b.Key != a.Key)
            .Min(b => Math.Pow(a.Value.X - b.Value.X, 2) + Math.Pow(a.Value.Y - b.Value.Y, 2))).Key;

        await page.Mouse.ClickAsync((float)positions[target].X, (float)positions[target].Y);
        var expected = (await Json.ReadAsync(await library.Client.GetAsync($"/tracks/{target}/similar?k=10")))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#neighbours li[data-track-id]').length === n", expected.Count);
        var listed = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#neighbours li[data-track-id]')].map(li => li.dataset.trackId)");
        Assert.Equal(expected, listed);
        Assert.Contains($"/tracks/{target}/audio", await page.Locator("audio#player").GetAttributeAsync("src"));
        Assert.DoesNotContain(errors, e => !e.Contains("play", StringComparison.OrdinalIgnoreCase)); // headless may refuse autoplay
        await page.CloseAsync();
    }

    [Fact]
    public async Task ClickingAMomentOfTheStripPlaysItAndListsWhatSoundsLikeIt()
    {
        var (page, errors) = await library.OpenMapAsync();
        var id = library.Tracks.Keys.First();
        await page.EvaluateAsync("id => window.convembedMap.select(id)", id);
        // 15-s tracks: (15 − 3) / 1.5 + 1 passages, one bar each.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#strip .strip-bar').length === 9");
        Assert.True(await page.Locator("#passages").IsVisibleAsync());

        var bar = page.Locator("#strip .strip-bar").Nth(4); // 6.0–9.0 s
        await bar.ClickAsync();
        Assert.Equal("true", await bar.GetAttributeAsync("aria-pressed"));
        Assert.EndsWith($"/tracks/{id}/audio#t=6", await page.Locator("audio#player").GetAttributeAsync("src"));
        var expected = (await Json.ReadAsync(await library.Client.GetAsync($"/tracks/{id}/passages?start=6&end=9&k=8&includeSelf=true")))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(expected);
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#passage-matches li[data-track-id]').length === n", expected.Count);
        var listed = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#passage-matches li[data-track-id]')].map(li => li.dataset.trackId)");
        Assert.Equal(expected.Select(i => i.GetProperty("trackId").GetString()), listed);

        // A listed stretch plays its track from where it starts.
        await page.Locator("#passage-matches li[data-track-id] button").First.ClickAsync();
        Assert.Equal(expected[0].GetProperty("audioUrl").GetString(), new Uri(await page.EvaluateAsync<string>("() => document.getElementById('player').src")).PathAndQuery
            + new Uri(await page.EvaluateAsync<string>("() => document.getElementById('player').src")).Fragment);
        Assert.DoesNotContain(errors, e => !e.Contains("play", StringComparison.OrdinalIgnoreCase)); // headless may refuse autoplay
        await page.CloseAsync();
    }

    [Fact]
    public async Task SearchFindsATrackByTitle()
    {
        var (page, _) = await library.OpenMapAsync();
        await page.FillAsync("#search", "number 2");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#search-results li[data-track-id]').length > 0");
        var found = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#search-results li[data-track-id]')].map(li => li.dataset.trackId)");
        Assert.Equal(MapPageFixture.Styles.Length, found.Length); // "… number 2" once per style
        await page.CloseAsync();
    }

    [Fact]
    public async Task TheTrainingPanelSaysWhenNoJobRanYet()
    {
        var (page, _) = await library.OpenMapAsync();
        await page.WaitForFunctionAsync("() => /no training job/i.test(document.querySelector('#training').textContent)");
        await page.CloseAsync();
    }

    [Fact]
    public async Task TheLibraryPanelIsHiddenWithoutLibraryFolders()
    {
        var (page, _) = await library.OpenMapAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('library').dataset.folders === '0'");
        Assert.False(await page.Locator("#library").IsVisibleAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task AScreenshotOfTheMapIsNotBlank()
    {
        var (page, _) = await library.OpenMapAsync();
        var png = await page.Locator("canvas#map").ScreenshotAsync();
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var counts = new Dictionary<SKColor, int>();
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        var background = counts.MaxBy(kv => kv.Value).Key;
        var drawn = bitmap.Width * bitmap.Height - counts[background];
        Assert.True(drawn >= library.Tracks.Count * 4, $"{drawn} pixels differ from the background");
        Assert.True(counts.Count >= 3, $"{counts.Count} colours in the screenshot");
        await page.CloseAsync();
    }
}
