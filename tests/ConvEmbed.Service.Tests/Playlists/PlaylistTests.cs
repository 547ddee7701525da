using System.Net;
using System.Net.Http.Json;
using ConvEmbed.Audio.Processes;
using ConvEmbed.AudioWriting;
using ConvEmbed.Service.Tests.Library;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Playlists;

/// <summary>Radios and sonic paths over a library folder and an upload, as JSON and as M3U8 that ffprobe can open.</summary>
public sealed class PlaylistTests : IAsyncLifetime
{
    private readonly string music = Directory.CreateTempSubdirectory("convembed-playlists-").FullName;
    private ConvEmbedApiFactory factory = null!;
    private HttpClient client = null!;
    private string upload = "";

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 8; i++)
        {
            var path = Path.Combine(music, $"artist{i % 4}", $"{i:00}.{(i % 2 == 0 ? "ogg" : "wav")}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, await TestAudio.TrackAsync(i % 4, 80 + i, format: i % 2 == 0 ? AudioFileFormat.Ogg : AudioFileFormat.Wav));
        }
        factory = new ConvEmbedApiFactory(AdminClient.Settings(new() { ["ConvEmbed:Library:Folders:0"] = music }));
        // Through a real socket, so that ffprobe can fetch the upload's entry of a playlist by its URL.
        factory.UseKestrel(0);
        factory.StartServer();
        client = factory.CreateClient().WithKey();
        await LibraryWaits.UntilIdleAsync(client, after: null);
        upload = (await Json.ReadAsync(await client.PostTrackAsync(await TestAudio.TrackAsync(0, 99)))).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
        Directory.Delete(music, recursive: true);
    }

    private string File0 => Path.Combine(music, "artist0", "00.ogg");

    [Fact]
    public async Task ARadioFromALibraryFileListsOtherTracksNearestFirst()
    {
        var response = await client.PostAsJsonAsync("/radio", new { seeds = new[] { File0 }, count = 5, diversity = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.DoesNotContain(items, i => i.GetProperty("path").GetString() == File0);
        Assert.Equal(5, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        var similarities = items.Select(i => i.GetProperty("similarity").GetDouble()).ToList();
        Assert.Equal(similarities.OrderDescending(), similarities);
    }

    [Fact]
    public async Task TheRadioAsM3u8OpensInAPlayerEntryByEntry()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/radio") { Content = JsonContent.Create(new { seeds = new[] { File0 }, count = 8 }) };
        request.Headers.Accept.ParseAdd("audio/x-mpegurl");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/x-mpegurl", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("#EXTM3U", lines[0]);
        var entries = lines.Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(8, entries.Count);                           // every other track: seven library files and the upload
        Assert.Equal(8, lines.Count(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.EndsWith($"/tracks/{upload}/audio", StringComparison.Ordinal));
        Assert.Equal(7, entries.Count(e => e.StartsWith(music, StringComparison.Ordinal)));
        foreach (var entry in entries)
        {
            var probe = await ChildProcess.CaptureAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", entry],
                TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.True(probe.ExitCode == 0 && double.Parse(probe.Text.Trim(), System.Globalization.CultureInfo.InvariantCulture) > 1,
                $"ffprobe could not open {entry}: {probe.Errors}");
        }
    }

    [Fact]
    public async Task APathGoesFromOneTrackToTheOtherWithoutRepeats()
    {
        var other = Path.Combine(music, "artist3", "07.wav");
        var ids = (await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=100"))).GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("path").GetString() is { } p && (p == File0 || p == other))
            .ToDictionary(t => t.GetProperty("path").GetString()!, t => t.GetProperty("id").GetString()!);

        var path = await Json.ReadAsync(await client.GetAsync($"/tracks/{ids[File0]}/path/{ids[other]}?count=5"));

        var steps = path.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, steps.Count);
        Assert.Equal((ids[File0], ids[other]), (steps[0], steps[^1]));
        Assert.Equal(5, steps.Distinct().Count());
        var m3u8 = await client.GetStringAsync($"/tracks/{ids[File0]}/path/{ids[other]}?count=5&format=m3u8");
        Assert.StartsWith($"#EXTM3U\n#EXTINF:8,", m3u8);
    }

    [Fact]
    public async Task BadRequestsGetProblemDetails()
    {
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { "/etc/passwd" } }), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { Path.Combine(music, "..", "x.ogg") } }), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { Guid.NewGuid().ToString() } }), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { Path.Combine(music, "none.ogg") } }), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { upload }, count = 0 }), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        foreach (var blank in new[] { "", "  ", "a\0b" }) // were 500s: Path.GetFullPath refuses them
            await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/radio", new { seeds = new[] { blank } }), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{upload}/path/{upload}"), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{upload}/path/{Guid.NewGuid()}?count=1"), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{upload}/path/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }
}
