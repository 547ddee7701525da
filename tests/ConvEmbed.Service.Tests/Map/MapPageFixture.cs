using System.Net;
using ConvEmbed.Service.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>
/// The real service on a Kestrel port with a small synthetic library (3 styles × 3 tracks, two artists), its map
/// computed, and Debian's Chromium driven by Playwright (Playwright's own browser download is not used).
/// </summary>
public sealed class MapPageFixture : IAsyncLifetime
{
    public static readonly int[] Styles = [1, 4, 6];
    public const int PerStyle = 3;

    private readonly ConvEmbedApiFactory factory = new(MapLayoutWaits.FastMap);
    private IPlaywright? playwright;

    public HttpClient Client { get; private set; } = null!;
    public string BaseAddress { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    /// <summary>Track id → (style, artist).</summary>
    public Dictionary<string, (int Style, string Artist)> Tracks { get; } = [];

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CONVEMBED_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        factory.UseKestrel(0);
        factory.StartServer();
        BaseAddress = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseAddress) };
        foreach (var style in Styles)
            for (var i = 0; i < PerStyle; i++)
            {
                var artist = $"Artist {(char)('A' + i % 2)}";
                var response = await Client.PostTrackAsync(await TestAudio.TrackAsync(style, 30 + i, seconds: 15), $"s{style}_{i}.wav",
                    ("title", $"{TestAudio.Styles[style]} number {i}"), ("artist", artist), ("tags", $"style{style}"));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Tracks[(await Json.ReadAsync(response)).GetProperty("id").GetString()!] = (style, artist);
            }
        await Client.WaitForMapAsync(Tracks.Count);

        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"no Chromium at {ChromiumPath}: deploy/test.sh installs Debian's chromium (or set CONVEMBED_CHROMIUM)");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"], // the test suite runs as root on CI
        });
    }

    /// <summary>A new page on /map, once the map is drawn; browser console errors are collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenMapAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"{BaseAddress}/map");
        await page.WaitForFunctionAsync("() => window.convembedMap && window.convembedMap.ready", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        Client?.Dispose();
        await factory.DisposeAsync();
    }
}
