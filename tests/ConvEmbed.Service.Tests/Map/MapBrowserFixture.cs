using ConvEmbed.Service.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>
/// The real service on a Kestrel port with a library that the subclass makes, its map computed, and Debian's Chromium
/// driven by Playwright (Playwright's own browser download is not used).
/// </summary>
public abstract class MapBrowserFixture : IAsyncLifetime
{
    private ConvEmbedApiFactory factory = null!;
    private IPlaywright? playwright;

    public HttpClient Client { get; private set; } = null!;
    public string BaseAddress { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CONVEMBED_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The service's settings, asked for before it starts (so a library folder can be written first).</summary>
    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    /// <summary>Adds the tracks once the service runs and waits until they are on the map.</summary>
    protected abstract Task FillAsync();

    public async Task InitializeAsync()
    {
        factory = new ConvEmbedApiFactory(await SettingsAsync());
        factory.UseKestrel(0);
        factory.StartServer();
        BaseAddress = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseAddress) };
        await FillAsync();

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

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        Client?.Dispose();
        if (factory is not null) await factory.DisposeAsync();
    }
}
