using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ConvEmbed.AudioWriting;
using Microsoft.Extensions.DependencyInjection;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Tracks;

public sealed class UploadTests : IAsyncLifetime
{
    private readonly ConvEmbedApiFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task UploadReturns201WithMetadataModelAndNormalisedEmbedding()
    {
        var bytes = await TestAudio.TrackAsync(0, 0);
        var response = await client.PostTrackAsync(bytes, "first.wav", ("title", "Night Drive"), ("artist", "The Synths"), ("tags", "synth, night ,synth"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var track = await Json.ReadAsync(response);
        var id = track.GetProperty("id").GetString();
        Assert.Equal($"/tracks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), track.GetProperty("sha256").GetString());
        Assert.Equal("Night Drive", track.GetProperty("title").GetString());
        Assert.Equal("The Synths", track.GetProperty("artist").GetString());
        Assert.Equal(["synth", "night"], track.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(8.0, track.GetProperty("durationSeconds").GetDouble(), 1);
        Assert.Equal("audio/wav", track.GetProperty("contentType").GetString());
        // The track's fields first, the model and its 80 numbers last: a person reading the answer sees the id at once.
        var names = track.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(("id", "modelId", "embedding"), (names[0], names[^2], names[^1]));
        var embedding = track.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(80, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(x => (double)x * x)), 4);

        var stored = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}"));
        Assert.Equal("Night Drive", stored.GetProperty("title").GetString());
        var vector = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/embedding"));
        Assert.Equal(track.GetProperty("modelId").GetInt64(), vector.GetProperty("modelId").GetInt64());
        Assert.Equal(embedding, vector.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()));
        var active = await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=1"));
        Assert.Equal(1, active.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task TitleArtistAndAlbumComeFromTheFilesTagsElseItsName()
    {
        var tagged = await TestAudio.TaggedMp3Async("Tagged Title", "Tagged Artist", "Tagged Album");
        var track = await Json.ReadAsync(await client.PostTrackAsync(tagged, "whatever.mp3"));
        Assert.Equal("Tagged Title", track.GetProperty("title").GetString());
        Assert.Equal("Tagged Artist", track.GetProperty("artist").GetString());
        Assert.Equal("Tagged Album", track.GetProperty("album").GetString());
        Assert.Equal("audio/mpeg", track.GetProperty("contentType").GetString());

        var untagged = await Json.ReadAsync(await client.PostTrackAsync(await TestAudio.TrackAsync(2, 0), "My Song.wav"));
        Assert.Equal("My Song", untagged.GetProperty("title").GetString());
    }

    [Fact]
    public async Task SameBytesAgainAnswer200WithTheStoredTrack()
    {
        var bytes = await TestAudio.TrackAsync(3, 0);
        var first = await client.PostTrackAsync(bytes, "a.wav", ("title", "First"));
        var second = await client.PostTrackAsync(bytes, "b.wav", ("title", "Second"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var (a, b) = (await Json.ReadAsync(first), await Json.ReadAsync(second));
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal("First", b.GetProperty("title").GetString());
        Assert.Equal(80, b.GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task EightConcurrentUploadsOfTheSameBytesStoreOneTrack()
    {
        var bytes = await TestAudio.TrackAsync(4, 0);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostTrackAsync(bytes)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => (await Json.ReadAsync(r)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        var snapshot = await StoreSnapshot.TakeAsync(factory);
        Assert.Equal((1, 1), (snapshot.Tracks, snapshot.Embeddings));
        Assert.Single(snapshot.Blobs.Split('\n'));
        Assert.Single(snapshot.Features.Split('\n'));
        Assert.Equal("", snapshot.Incoming);
    }

    [Fact]
    public async Task AudioIsServedWithItsTypeAndRangeRequestsWork()
    {
        var bytes = await TestAudio.TrackAsync(5, 0, format: AudioFileFormat.Mp3);
        var id = (await Json.ReadAsync(await client.PostTrackAsync(bytes, "t.mp3"))).GetProperty("id").GetString();

        var whole = await client.GetAsync($"/tracks/{id}/audio");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/mpeg", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        var request = new HttpRequestMessage(HttpMethod.Get, $"/tracks/{id}/audio");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{bytes.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeleteRemovesRowVectorsBlobAndCacheEntry()
    {
        var before = await StoreSnapshot.TakeAsync(factory);
        var id = (await Json.ReadAsync(await client.PostTrackAsync(await TestAudio.TrackAsync(6, 0)))).GetProperty("id").GetString();
        var during = await StoreSnapshot.TakeAsync(factory);
        Assert.Equal(before.Tracks + 1, during.Tracks);
        Assert.NotEqual(before.Blobs, during.Blobs);
        Assert.NotEqual(before.Features, during.Features);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/tracks/{id}")).StatusCode);

        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{id}"), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await client.DeleteAsync($"/tracks/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADuplicateOfATrackWithoutAVectorOfTheActiveModelIsEmbeddedNow()
    {
        var bytes = await TestAudio.TrackAsync(5, 7);
        var first = await Json.ReadAsync(await client.PostTrackAsync(bytes));
        var id = first.GetProperty("id").GetString();
        await using (var connection = new Npgsql.NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new Npgsql.NpgsqlCommand($"DELETE FROM embeddings WHERE track_id = '{id}'", connection);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{id}/embedding"), HttpStatusCode.Conflict);

        var again = await client.PostTrackAsync(bytes);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var embedding = (await Json.ReadAsync(again)).GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        // Embedded again from the bytes (or by the passage backfill from the cached log-mel, if it came first): the same
        // vector up to float rounding.
        var before = first.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(before.Length, embedding.Length);
        Assert.All(before.Zip(embedding), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
        // The answer is what is stored, to the last bit.
        var stored = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/embedding"));
        Assert.Equal(embedding, stored.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task AddingAVectorThatAnotherWriterStoredFirstAnswersTheStoredOne()
    {
        var first = await Json.ReadAsync(await client.PostTrackAsync(await TestAudio.TrackAsync(5, 8)));
        var id = Guid.Parse(first.GetProperty("id").GetString()!);
        var modelId = first.GetProperty("modelId").GetInt64();
        var stored = first.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var store = factory.Services.GetRequiredService<ConvEmbed.Service.Tracks.TrackStore>();

        var other = stored.Select(v => -v).ToArray();
        Assert.Equal(stored, await store.AddEmbeddingAsync(id, modelId, other, CancellationToken.None));
        var read = await Json.ReadAsync(await client.GetAsync($"/tracks/{id}/embedding"));
        Assert.Equal(stored, read.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()));
        // Of a model that is not active nothing is stored; the vector given comes back.
        Assert.Equal(other, await store.AddEmbeddingAsync(id, modelId + 1000, other, CancellationToken.None));
    }
}
