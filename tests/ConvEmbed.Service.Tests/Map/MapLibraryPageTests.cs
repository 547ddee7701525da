using System.Net.Http.Json;
using ConvEmbed.Service.Tests.Support;
using Microsoft.Playwright;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>The map page over a library folder: the scan's progress in its panel, and a radio played in order.</summary>
public sealed class MapLibraryPageTests(MapLibraryFixture library) : IClassFixture<MapLibraryFixture>
{
    [Fact]
    public async Task TheLibraryPanelShowsHowManyFilesAreIndexed()
    {
        var (page, errors) = await library.OpenMapAsync();

        await page.WaitForFunctionAsync("n => { const panel = document.getElementById('library'); " +
                                        "return !panel.hidden && panel.textContent.includes(`${n} of ${n} files`); }", MapLibraryFixture.TrackCount);
        Assert.Equal("1", await page.Locator("#library").GetAttributeAsync("data-folders"));
        Assert.Contains("Last scan", await page.Locator("#library").TextContentAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task ARadioFromTheSelectedTrackPlaysTheServersPlaylistInOrder()
    {
        var (page, errors) = await library.OpenMapAsync();
        var map = await Json.ReadAsync(await library.Client.GetAsync("/map/points"));
        var seed = map.GetProperty("points")[0].GetProperty("id").GetString()!;
        var expected = (await Json.ReadAsync(await library.Client.PostAsJsonAsync("/radio", new { seeds = new[] { seed }, count = 30 })))
            .GetProperty("items").EnumerateArray()
            .Select(i => (Id: i.GetProperty("id").GetString()!, AudioUrl: i.GetProperty("audioUrl").GetString()!)).ToList();
        Assert.True(expected.Count >= 3, $"a radio of {expected.Count} track(s)");

        await page.EvaluateAsync("id => window.convembedMap.select(id)", seed);
        await page.ClickAsync("#radio-start");
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#radio-list li[data-track-id]').length === n", expected.Count);
        var listed = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#radio-list li[data-track-id]')].map(li => li.dataset.trackId)");
        Assert.Equal(expected.Select(e => e.Id), listed);
        await WaitForPlayerAsync(page, expected[0].AudioUrl);

        // The first track ends: the second one follows.
        await EndTheTrackAsync(page);
        await WaitForPlayerAsync(page, expected[1].AudioUrl);
        Assert.Equal(expected[1].Id, await page.Locator("#radio-list li.now-playing").GetAttributeAsync("data-track-id"));

        // A click on a row plays that track, and the radio goes on from there.
        await page.ClickAsync($"#radio-list li[data-track-id='{expected[^2].Id}'] button");
        await WaitForPlayerAsync(page, expected[^2].AudioUrl);
        await EndTheTrackAsync(page);
        await WaitForPlayerAsync(page, expected[^1].AudioUrl);

        // The same radio as M3U8: one entry per track, in the same order.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#radio-download"));
        var m3u8 = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal("#EXTM3U", m3u8[0]);
        Assert.Equal(expected.Count, m3u8.Count(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal)));
        Assert.DoesNotContain(errors, e => !e.Contains("play", StringComparison.OrdinalIgnoreCase)); // headless may refuse autoplay
        await page.CloseAsync();
    }

    private static Task WaitForPlayerAsync(IPage page, string audioUrl) =>
        page.WaitForFunctionAsync("url => document.getElementById('player').getAttribute('src') === url", audioUrl);

    /// <summary>The player's track ends; paused first, so that a real end cannot come in between.</summary>
    private static Task EndTheTrackAsync(IPage page) =>
        page.EvaluateAsync("() => { const player = document.getElementById('player'); player.pause(); player.dispatchEvent(new Event('ended')); }");
}
