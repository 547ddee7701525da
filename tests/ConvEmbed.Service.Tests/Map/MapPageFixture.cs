using System.Net;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>The map page's service with a small synthetic library of uploads (3 styles × 3 tracks, two artists).</summary>
public sealed class MapPageFixture : MapBrowserFixture
{
    public static readonly int[] Styles = [1, 4, 6];
    public const int PerStyle = 3;

    /// <summary>Track id → (style, artist).</summary>
    public Dictionary<string, (int Style, string Artist)> Tracks { get; } = [];

    protected override Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(MapLayoutWaits.FastMap);

    protected override async Task FillAsync()
    {
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
    }
}
