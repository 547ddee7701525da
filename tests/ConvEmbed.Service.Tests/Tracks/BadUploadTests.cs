using System.Buffers.Binary;
using System.Net;
using System.Text;
using ConvEmbed.Audio.Tests.Support;
using ConvEmbed.AudioWriting;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Tracks;

/// <summary>Each bad upload gets its status and problem details, and leaves database, blob store and cache as they were.</summary>
public sealed class BadUploadTests : IAsyncLifetime
{
    private readonly ConvEmbedApiFactory factory = new(settings: new Dictionary<string, string?> { ["ConvEmbed:Uploads:MaxBytes"] = "2000000" });
    private HttpClient client = null!;
    private StoreSnapshot before = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        // One stored track, so "as it was" is not just "empty".
        Assert.Equal(HttpStatusCode.Created, (await client.PostTrackAsync(await TestAudio.TrackAsync(0, 1))).StatusCode);
        before = await StoreSnapshot.TakeAsync(factory);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<string> AssertRejectedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var title = await Problems.AssertProblemAsync(response, status);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        return title;
    }

    [Fact]
    public async Task EmptyFileIs422()
    {
        var title = await AssertRejectedAsync(await client.PostTrackAsync([], "empty.mp3"), HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("The file is not audio that ConvEmbed can read", title);
    }

    [Fact]
    public async Task TextRenamedMp3Is422()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("This is a shopping list, not a song.\n", 200)));
        var title = await AssertRejectedAsync(await client.PostTrackAsync(text, "song.mp3"), HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("The file is not audio that ConvEmbed can read", title);
        Assert.DoesNotContain(".incoming", title); // the server's temporary path stays on the server
        Assert.Contains("the upload", title);
    }

    [Fact]
    public async Task TruncatedFlacIs422()
    {
        var flac = await TestAudio.FlacFileAsync(2, 1);
        var title = await AssertRejectedAsync(await client.PostTrackAsync(flac[..(flac.Length / 3)], "cut.flac"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("truncated", title);
    }

    [Fact]
    public async Task ClipOf300MillisecondsIs422TooShort()
    {
        var clip = WavWriter.ToBytes(new float[4800], 1, 16000);
        var title = await AssertRejectedAsync(await client.PostTrackAsync(clip, "clip.wav"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("The audio is too short", title);
    }

    [Fact]
    public async Task BodyOverTheCapIs413()
    {
        var big = WavWriter.ToBytes(new float[16000 * 70], 1, 16000); // 2.2 MB of 16-bit PCM, cap 2 MB
        await AssertRejectedAsync(await client.PostTrackAsync(big, "big.wav"), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task FormWithoutFilePartIs400()
    {
        var form = new MultipartFormDataContent { { new StringContent("a title"), "title" } };
        var title = await AssertRejectedAsync(await client.PostAsync("/tracks", form), HttpStatusCode.BadRequest);
        Assert.Contains("'file'", title);
    }

    [Fact]
    public async Task BodyThatIsNotMultipartIs415()
    {
        await AssertRejectedAsync(await client.PostAsync("/tracks", new ByteArrayContent(await TestAudio.TrackAsync(0, 1))),
            HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task WavHeaderDeclaringAGigabyteIs422()
    {
        // 44 bytes: 8 channels of 8-bit at 768 kHz, data size 1 GB (174 s: under the duration cap), no data.
        var wav = new byte[44];
        var s = wav.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 36 + 1_000_000_000u);
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 8);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], 768_000);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], 768_000 * 8);
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 8);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], 8);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], 1_000_000_000u);

        var title = await AssertRejectedAsync(await client.PostTrackAsync(wav, "huge.wav"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("truncated", title);
    }

    [Fact]
    public async Task UploadWhoseStreamBreaksHalfWayStoresNothing()
    {
        var bytes = await TestAudio.TrackAsync(3, 1);
        var form = Uploads.Form(new StreamContent(new BreakingStream(bytes, bytes.Length / 2)), "broken.wav");
        try
        {
            var response = await client.PostAsync("/tracks", form);
            Assert.True((int)response.StatusCode >= 400, $"a broken upload was accepted: {response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The client saw its own stream fail: what matters is what the server kept.
        }
        await WaitUntilIdleAsync();
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [Theory]
    [InlineData("/tracks/not-a-uuid", HttpStatusCode.BadRequest)]
    [InlineData("/tracks/not-a-uuid/similar", HttpStatusCode.BadRequest)]
    [InlineData("/tracks/0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10", HttpStatusCode.NotFound)]
    [InlineData("/tracks/0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10/similar", HttpStatusCode.NotFound)]
    [InlineData("/tracks/0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10/audio", HttpStatusCode.NotFound)]
    [InlineData("/tracks/0193b0c4-5f1e-7d22-9a51-3f0c2b7e9d10/embedding", HttpStatusCode.NotFound)]
    [InlineData("/tracks?pageSize=101", HttpStatusCode.BadRequest)]
    [InlineData("/tracks?page=0", HttpStatusCode.BadRequest)]
    public async Task BadIdsAndParametersGetProblemDetails(string url, HttpStatusCode status) =>
        await AssertRejectedAsync(await client.GetAsync(url), status);

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task SimilarWithKOutside1To100Is400(int k)
    {
        var id = (await Json.ReadAsync(await client.GetAsync("/tracks"))).GetProperty("items")[0].GetProperty("id").GetString();
        var title = await AssertRejectedAsync(await client.GetAsync($"/tracks/{id}/similar?k={k}"), HttpStatusCode.BadRequest);
        Assert.Contains("k must be between 1 and 100", title);
    }

    // A request the client abandoned may still be finishing on the server; its temporary file goes when it ends.
    private async Task WaitUntilIdleAsync()
    {
        for (var i = 0; i < 100 && (await StoreSnapshot.TakeAsync(factory)).Incoming != ""; i++) await Task.Delay(100);
    }
}
