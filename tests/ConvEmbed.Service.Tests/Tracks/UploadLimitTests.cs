using System.Net;
using System.Net.Sockets;
using System.Text;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Tracks;

public sealed class UploadLimitTests
{
    [Fact]
    public async Task UploadsBeyondTheClientsLimitGet429WithRetryAfter()
    {
        await using var factory = OneUploadPerClient();
        using var client = factory.CreateClient();

        using var held = await HoldUploadAsync(factory, client, forwardedFor: null);
        var rejected = await client.PostTrackAsync(await TestAudio.TrackAsync(2, 2));
        await Problems.AssertProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        Assert.NotNull(rejected.Headers.RetryAfter);

        held.Close(); // the held upload breaks off: its slot is released and nothing of it is kept
        HttpResponseMessage? accepted = null;
        for (var i = 0; i < 50 && accepted?.StatusCode != HttpStatusCode.Created; i++)
        {
            if (i > 0) await Task.Delay(100);
            accepted = await client.PostTrackAsync(await TestAudio.TrackAsync(2, 2));
        }
        Assert.Equal(HttpStatusCode.Created, accepted!.StatusCode);
        Assert.Equal(1, (await StoreSnapshot.TakeAsync(factory)).Tracks);
    }

    /// <summary>Behind a known proxy each forwarded client has its own limit; without one, X-Forwarded-For is ignored
    /// (any client could send it) and every request through the same peer shares one limit.</summary>
    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.Created)]
    [InlineData("127.0.0.0/8", HttpStatusCode.Created)]
    [InlineData(null, HttpStatusCode.TooManyRequests)]
    public async Task ClientsBehindAKnownProxyHaveLimitsOfTheirOwn(string? knownProxy, HttpStatusCode second)
    {
        await using var factory = OneUploadPerClient(knownProxy);
        using var client = factory.CreateClient();

        using var held = await HoldUploadAsync(factory, client, forwardedFor: "203.0.113.7");
        var other = new HttpRequestMessage(HttpMethod.Post, "/tracks") { Content = Uploads.Form(await TestAudio.TrackAsync(2, 3)) };
        other.Headers.Add("X-Forwarded-For", "203.0.113.8");
        var response = await client.SendAsync(other);

        Assert.Equal(second, response.StatusCode);
        if (knownProxy is null) return;
        var same = new HttpRequestMessage(HttpMethod.Post, "/tracks") { Content = Uploads.Form(await TestAudio.TrackAsync(2, 4)) };
        same.Headers.Add("X-Forwarded-For", "203.0.113.7");
        await Problems.AssertProblemAsync(await client.SendAsync(same), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task AKnownProxyThatIsNoAddressStopsStartUpNamingTheSetting()
    {
        await using var factory = new ConvEmbedApiFactory(settings: new Dictionary<string, string?>() { ["ConvEmbed:Network:KnownProxies:0"] = "proxy.local" });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("ConvEmbed:Network:KnownProxies", e.ToString());
    }

    private static ConvEmbedApiFactory OneUploadPerClient(string? knownProxy = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConvEmbed:Uploads:PerClientConcurrency"] = "1",
            ["ConvEmbed:Uploads:PerClientQueue"] = "0",
        };
        if (knownProxy is not null) settings["ConvEmbed:Network:KnownProxies:0"] = knownProxy;
        var factory = new ConvEmbedApiFactory(settings);
        // Through a real socket: the in-memory test server would not start the request before its body is complete.
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    /// <summary>A raw socket sends the headers and half a file, then holds the upload open: it owns its client's only slot.</summary>
    private static async Task<TcpClient> HoldUploadAsync(ConvEmbedApiFactory factory, HttpClient client, string? forwardedFor)
    {
        var bytes = await TestAudio.TrackAsync(1, 2);
        var held = new TcpClient();
        await held.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        var stream = held.GetStream();
        const string boundary = "held-upload-boundary";
        var forwarded = forwardedFor is null ? "" : $"X-Forwarded-For: {forwardedFor}\r\n";
        var head = Encoding.ASCII.GetBytes(
            $"POST /tracks HTTP/1.1\r\nHost: {client.BaseAddress.Authority}\r\n{forwarded}Content-Type: multipart/form-data; boundary={boundary}\r\n" +
            $"Content-Length: {bytes.Length + 1000}\r\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"held.wav\"\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await stream.FlushAsync();
        var incoming = Path.Combine(factory.BlobDirectory, ".incoming");
        for (var i = 0; i < 300 && !(Directory.Exists(incoming) && Directory.EnumerateFiles(incoming).Any()); i++) await Task.Delay(100);
        Assert.True(Directory.Exists(incoming) && Directory.EnumerateFiles(incoming).Any(), "the held upload never reached the server");
        return held;
    }

    [Fact]
    public async Task AudioOptionsAreSettingsOfTheService()
    {
        await using var factory = new ConvEmbedApiFactory(settings: new Dictionary<string, string?>() { ["ConvEmbed:Audio:MinDuration"] = "00:00:10" });
        using var client = factory.CreateClient();
        var response = await client.PostTrackAsync(await TestAudio.TrackAsync(1, 3)); // 8 s
        Assert.Equal("The audio is too short", await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task BadAudioSettingStopsStartUpNamingIt()
    {
        await using var factory = new ConvEmbedApiFactory(settings: new Dictionary<string, string?>()
        {
            ["ConvEmbed:Audio:MinDuration"] = "00:05:00",
            ["ConvEmbed:Audio:MaxDuration"] = "00:01:00",
        });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("ConvEmbed:Audio", e.ToString());
    }
}
