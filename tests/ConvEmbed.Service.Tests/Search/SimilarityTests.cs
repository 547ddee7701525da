using System.Net;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Search;

/// <summary>A small library of three styles; similarity must put the same style first.</summary>
public sealed class SimilarityTests : IAsyncLifetime
{
    private static readonly int[] Styles = [1, 4, 6]; // techno, strings, folk
    private const int PerStyle = 3;
    private readonly ConvEmbedApiFactory factory = new();
    private readonly Dictionary<string, int> styleOf = [];
    private readonly Dictionary<string, string> artistOf = [];
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        foreach (var style in Styles)
            for (var i = 0; i < PerStyle; i++)
            {
                var response = await client.PostTrackAsync(await TestAudio.TrackAsync(style, 10 + i, seconds: 20), $"s{style}_{i}.wav",
                    ("artist", $"Artist {i % 2}"), ("tags", $"style{style}"));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var id = (await Json.ReadAsync(response)).GetProperty("id").GetString()!;
                styleOf[id] = style;
                artistOf[id] = $"Artist {i % 2}";
            }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task EachTracksNearestNeighboursAreOfItsOwnStyle()
    {
        foreach (var (id, style) in styleOf)
        {
            var answer = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/similar?k=5"));
            var items = answer.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(5, items.Count);
            Assert.DoesNotContain(items, n => n.GetProperty("id").GetString() == id);
            var similarities = items.Select(n => n.GetProperty("similarity").GetDouble()).ToList();
            Assert.Equal(similarities.OrderDescending(), similarities);
            Assert.Equal(style, styleOf[items[0].GetProperty("id").GetString()!]);
        }
    }

    [Fact]
    public async Task SimilarNamesTheActiveModelAndFiltersByArtistAndTag()
    {
        var model = (await Json.ReadAsync(await client.GetAsync($"/tracks/{styleOf.Keys.First()}/embedding"))).GetProperty("modelId").GetInt64();
        var id = styleOf.Keys.First();

        var byArtist = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/similar?k=100&artist=artist%201"));
        Assert.Equal(model, byArtist.GetProperty("modelId").GetInt64());
        var artistItems = byArtist.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(artistOf.Values.Count(a => a == "Artist 1") - (artistOf[id] == "Artist 1" ? 1 : 0), artistItems.Count);
        Assert.All(artistItems, i => Assert.Equal("Artist 1", i.GetProperty("artist").GetString()));

        var byTag = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/similar?k=100&tag=style6"));
        var tagged = byTag.GetProperty("items").EnumerateArray().Select(i => styleOf[i.GetProperty("id").GetString()!]).ToList();
        Assert.Equal(PerStyle - (styleOf[id] == 6 ? 1 : 0), tagged.Count);
        Assert.All(tagged, s => Assert.Equal(6, s));
    }

    [Fact]
    public async Task SearchByExampleFindsTheStyleAndStoresNothing()
    {
        var before = await StoreSnapshot.TakeAsync(factory);
        var form = Uploads.Form(await TestAudio.TrackAsync(4, 99, seconds: 20), "query.wav", ("k", "3"));
        var response = await client.PostAsync("/search", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(4, styleOf[items[0].GetProperty("id").GetString()!]);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [Fact]
    public async Task SearchByExampleRejectsBadAudioAndBadK()
    {
        await Problems.AssertProblemAsync(await client.PostAsync("/search", Uploads.Form("not audio at all"u8.ToArray(), "x.mp3")),
            HttpStatusCode.UnprocessableEntity);
        await Problems.AssertProblemAsync(await client.PostAsync("/search", Uploads.Form(await TestAudio.TrackAsync(4, 99, seconds: 20), "q.wav", ("k", "0"))),
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListPagesAndFilters()
    {
        var page1 = await Json.ReadAsync(await client.GetAsync("/tracks?page=1&pageSize=4"));
        var page3 = await Json.ReadAsync(await client.GetAsync("/tracks?page=3&pageSize=4"));
        Assert.Equal(9, page1.GetProperty("total").GetInt64());
        Assert.Equal(4, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page3.GetProperty("items").GetArrayLength());
        Assert.Equal((3, 4), (page3.GetProperty("page").GetInt32(), page3.GetProperty("pageSize").GetInt32()));

        var all = new List<string>();
        for (var p = 1; p <= 3; p++)
            all.AddRange((await Json.ReadAsync(await client.GetAsync($"/tracks?page={p}&pageSize=4"))).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("id").GetString()!));
        Assert.Equal(styleOf.Keys.Order(), all.Order());

        Assert.Equal(6, await TotalAsync("/tracks?artist=ARTIST%200"));
        Assert.Equal(3, await TotalAsync("/tracks?tag=style4"));
        Assert.Equal(3, await TotalAsync("/tracks?q=S6_"));
        Assert.Equal(0, await TotalAsync("/tracks?q=%25"));
    }

    private async Task<long> TotalAsync(string url) => (await Json.ReadAsync(await client.GetAsync(url))).GetProperty("total").GetInt64();
}
