using System.Net;
using System.Text.Json;
using ConvEmbed.AudioWriting;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Library;

/// <summary>A music folder indexed in place: real files made by ffmpeg in nested folders, scanned by the service.</summary>
public sealed class LibraryTests : IAsyncDisposable
{
    private readonly string music = Directory.CreateTempSubdirectory("convembed-library-").FullName;

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Directory.Delete(music, recursive: true);
    }

    private ConvEmbedApiFactory Service() => new(settings: AdminClient.Settings(new() { ["ConvEmbed:Library:Folders:0"] = music }));

    private async Task WriteAsync(string relative, byte[] bytes)
    {
        var path = Path.Combine(music, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
    }

    [Fact]
    public async Task AFolderOfMixedFilesIsIndexedInPlaceAndServedFromThere()
    {
        await WriteAsync("Tag Artist/Tag Album/01 b.mp3", await TestAudio.TaggedMp3Async("Tagged Song", "Tag Artist", "Tag Album"));
        await WriteAsync("Tag Artist/Tag Album/02 c.flac", await TestAudio.FlacFileAsync(2, 60));
        await WriteAsync("other/deep/f.ogg", await TestAudio.TrackAsync(3, 60, format: AudioFileFormat.Ogg));
        await WriteAsync("other/g.opus", await TestAudio.TrackAsync(4, 60, format: AudioFileFormat.Opus));
        await WriteAsync("h.m4a", await TestAudio.TrackAsync(5, 60, format: AudioFileFormat.M4a));
        await WriteAsync("i.wav", await TestAudio.TrackAsync(6, 60));
        await WriteAsync("cover.jpg", [0xFF, 0xD8, 0xFF, 0xE0]);                   // not audio: passed over
        await WriteAsync("other/broken.mp3", "this is no audio at all"u8.ToArray()); // audio by name only: a problem
        await using var factory = Service();
        using var client = factory.CreateClient().WithKey();

        var status = await LibraryWaits.UntilIdleAsync(client, after: null);

        Assert.Equal((6L, 0L, 1L, 7L), (status.GetProperty("indexed").GetInt64(), status.GetProperty("waiting").GetInt64(),
            status.GetProperty("unreadable").GetInt64(), status.GetProperty("seen").GetInt64()));
        Assert.Equal([Path.GetFullPath(music)], status.GetProperty("folders").EnumerateArray().Select(f => f.GetString()));
        var problem = Assert.Single((await Json.ReadAsync(await client.GetAsync("/library/problems"))).GetProperty("items").EnumerateArray());
        Assert.Equal(Path.Combine(music, "other/broken.mp3"), problem.GetProperty("path").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("reason").GetString()));

        var tracks = (await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=100"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, tracks.Count);
        Assert.All(tracks, t => Assert.StartsWith(music, t.GetProperty("path").GetString()));
        var tagged = tracks.Single(t => t.GetProperty("path").GetString()!.EndsWith("01 b.mp3"));
        Assert.Equal(("Tagged Song", "Tag Artist", "Tag Album"),
            (tagged.GetProperty("title").GetString(), tagged.GetProperty("artist").GetString(), tagged.GetProperty("album").GetString()));

        // Served from the folder, not from a copy: the blob store holds nothing.
        var flac = tracks.Single(t => t.GetProperty("path").GetString()!.EndsWith(".flac"));
        var audio = await client.GetAsync($"/tracks/{flac.GetProperty("id").GetString()}/audio");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(music, "Tag Artist/Tag Album/02 c.flac")), await audio.Content.ReadAsByteArrayAsync());
        Assert.Equal("", (await StoreSnapshot.TakeAsync(factory)).Blobs);
        var similar = await client.GetAsync($"/tracks/{flac.GetProperty("id").GetString()}/similar?k=5");
        Assert.Equal(5, (await Json.ReadAsync(similar)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ARescanPicksUpAddedChangedMovedAndDeletedFiles()
    {
        await WriteAsync("x.wav", await TestAudio.TrackAsync(1, 61));
        await WriteAsync("y.wav", await TestAudio.TrackAsync(2, 61));
        await WriteAsync("z.wav", await TestAudio.TrackAsync(3, 61));
        await using var factory = Service();
        using var client = factory.CreateClient().WithKey();
        var first = await LibraryWaits.UntilIdleAsync(client, after: null);
        Assert.Equal(3, first.GetProperty("indexed").GetInt64());
        var before = await ByFileAsync(client);

        await WriteAsync("w.wav", await TestAudio.TrackAsync(4, 61));                           // added
        await WriteAsync("y.wav", await TestAudio.TrackAsync(5, 61));                           // changed
        File.SetLastWriteTimeUtc(Path.Combine(music, "y.wav"), DateTime.UtcNow.AddMinutes(1));
        Directory.CreateDirectory(Path.Combine(music, "moved"));
        File.Move(Path.Combine(music, "z.wav"), Path.Combine(music, "moved", "z2.wav"));         // moved
        File.Delete(Path.Combine(music, "x.wav"));                                               // deleted
        var scan = await client.PostAsync("/admin/library/scan", null);
        Assert.Equal(HttpStatusCode.Accepted, scan.StatusCode);

        await LibraryWaits.UntilIdleAsync(client, after: first.GetProperty("lastScanFinished").GetDateTimeOffset());
        var after = await ByFileAsync(client);

        Assert.Equal(["moved/z2.wav", "w.wav", "y.wav"], after.Keys.Order());
        Assert.Equal(before["z.wav"], after["moved/z2.wav"]);                                    // same bytes, same track
        Assert.NotEqual(before["y.wav"], after["y.wav"]);                                        // new content, new track
        foreach (var gone in new[] { before["x.wav"], before["y.wav"] })
            await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{gone}"), HttpStatusCode.NotFound);
        Assert.Equal(3, Directory.GetFiles(factory.FeatureDirectory, "*.mel").Length);          // the removed tracks' features went too
    }

    /// <summary>A service stopped in the middle of indexing: the next start goes on where it stopped, and no file
    /// becomes two tracks.</summary>
    [Fact]
    public async Task AScanStoppedHalfWayIsFinishedByTheNextStartWithoutDuplicates()
    {
        for (var i = 0; i < 12; i++) await WriteAsync($"album/{i:00}.wav", await TestAudio.TrackAsync(i % 8, 70 + i, seconds: 30));
        var owner = Service();
        var settings = AdminClient.Settings(new() { ["ConvEmbed:Library:Folders:0"] = music, ["ConvEmbed:Library:Parallelism"] = "1" });
        try
        {
            await using (var first = new ConvEmbedApiFactory(owner.ConnectionString, settings))
            {
                using var client = first.CreateClient();
                JsonElement status;
                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                do
                {
                    await Task.Delay(100);
                    status = await Json.ReadAsync(await client.GetAsync("/library"));
                    Assert.True(DateTime.UtcNow < deadline, $"indexing never started: {status}");
                } while (status.GetProperty("indexed").GetInt64() == 0);
                Assert.True(status.GetProperty("waiting").GetInt64() > 0, $"indexing finished before the stop: {status}");
            } // stopped half-way

            await using var second = new ConvEmbedApiFactory(owner.ConnectionString, settings);
            using var next = second.CreateClient();
            var done = await LibraryWaits.UntilIdleAsync(next, after: null);

            Assert.Equal((12L, 0L), (done.GetProperty("indexed").GetInt64(), done.GetProperty("unreadable").GetInt64()));
            var tracks = (await Json.ReadAsync(await next.GetAsync("/tracks?pageSize=100"))).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(12, tracks.Count);
            Assert.Equal(12, tracks.Select(t => t.GetProperty("path").GetString()).Distinct().Count());
        }
        finally
        {
            await owner.DisposeAsync();
        }
    }

    /// <summary>A process killed while indexing leaves its files claimed; the same instance, started again, takes them
    /// back at once instead of after the claim timeout (five minutes).</summary>
    [Fact]
    public async Task FilesClaimedByAKilledProcessOfThisInstanceAreIndexedAtOnceAfterARestart()
    {
        await WriteAsync("a.wav", await TestAudio.TrackAsync(1, 90));
        await WriteAsync("b.wav", await TestAudio.TrackAsync(2, 90));
        var owner = Service();
        var settings = new Dictionary<string, string?> { ["ConvEmbed:Library:Folders:0"] = music, ["ConvEmbed:InstanceName"] = "lib-host" };
        try
        {
            await using (var migrated = new ConvEmbedApiFactory(owner.ConnectionString, new(settings) { ["ConvEmbed:Library:WorkerEnabled"] = "false" }))
            {
                migrated.CreateClient().Dispose();
                await using var connection = new Npgsql.NpgsqlConnection(owner.ConnectionString);
                await connection.OpenAsync();
                await using var killed = new Npgsql.NpgsqlCommand("""
                    INSERT INTO library_files (path, size_bytes, mtime, scan, claimed_by, claimed_at)
                    SELECT p, 1, now(), 0, 'lib-host:4242:0dead000', now() FROM unnest($1::text[]) AS p
                    """, connection);
                killed.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { Path.Combine(music, "a.wav"), Path.Combine(music, "b.wav") } });
                Assert.Equal(2, await killed.ExecuteNonQueryAsync());
            }

            await using var restarted = new ConvEmbedApiFactory(owner.ConnectionString, settings);
            using var client = restarted.CreateClient();
            var status = await LibraryWaits.UntilIdleAsync(client, after: null, timeout: TimeSpan.FromMinutes(1));

            Assert.Equal(2, status.GetProperty("indexed").GetInt64());
        }
        finally
        {
            await owner.DisposeAsync();
        }
    }

    /// <summary>A folder taken out of the settings takes its tracks with it at the next scan, though its files remain.</summary>
    /// <summary>Also when no file row leads to such a track any more (a database an older version scanned).</summary>
    [Fact]
    public async Task TracksOfAFolderNoLongerConfiguredGoAtTheNextScan()
    {
        await WriteAsync("kept/k.wav", await TestAudio.TrackAsync(1, 95));
        await WriteAsync("dropped/d.wav", await TestAudio.TrackAsync(2, 95));
        var owner = Service();
        try
        {
            DateTimeOffset first;
            await using (var both = new ConvEmbedApiFactory(owner.ConnectionString, new() { ["ConvEmbed:Library:Folders:0"] = Path.Combine(music, "kept"),
                             ["ConvEmbed:Library:Folders:1"] = Path.Combine(music, "dropped") }))
            {
                using var client = both.CreateClient();
                var status = await LibraryWaits.UntilIdleAsync(client, after: null);
                Assert.Equal(2, status.GetProperty("indexed").GetInt64());
                first = status.GetProperty("lastScanFinished").GetDateTimeOffset();
            }
            // As an older version left it: the dropped file's row forgotten while its track stayed (no row leads to it).
            await using (var connection = new Npgsql.NpgsqlConnection(owner.ConnectionString))
            {
                await connection.OpenAsync();
                await using var forget = new Npgsql.NpgsqlCommand("DELETE FROM library_files WHERE path LIKE '%/dropped/%'", connection);
                Assert.Equal(1, await forget.ExecuteNonQueryAsync());
            }

            await using var keptOnly = new ConvEmbedApiFactory(owner.ConnectionString, new() { ["ConvEmbed:Library:Folders:0"] = Path.Combine(music, "kept") });
            using var next = keptOnly.CreateClient();
            await LibraryWaits.UntilIdleAsync(next, after: first);
            var paths = (await Json.ReadAsync(await next.GetAsync("/tracks"))).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("path").GetString());

            Assert.Equal([Path.Combine(music, "kept", "k.wav")], paths);
        }
        finally
        {
            await owner.DisposeAsync();
        }
    }

    /// <summary>A library track deleted through the API stays deleted while its file is unchanged (the folder is not
    /// ours to write); a rescan with retry=true takes it back, and tries again a file that was refused (here: over a
    /// size limit raised since).</summary>
    [Fact]
    public async Task ADeletedLibraryTrackStaysDeletedUntilARetry()
    {
        await WriteAsync("keep.wav", await TestAudio.TrackAsync(1, 62));
        await WriteAsync("drop.wav", await TestAudio.TrackAsync(2, 62));
        await WriteAsync("big.wav", await TestAudio.TrackAsync(3, 62, seconds: 30));
        Assert.True(new FileInfo(Path.Combine(music, "big.wav")).Length > 600_000 && new FileInfo(Path.Combine(music, "keep.wav")).Length < 600_000);
        var owner = Service();
        try
        {
            var strict = AdminClient.Settings(new() { ["ConvEmbed:Library:Folders:0"] = music, ["ConvEmbed:Uploads:MaxBytes"] = "600000" });
            await using (var first = new ConvEmbedApiFactory(owner.ConnectionString, strict))
            {
                using var client = first.CreateClient().WithKey();
                var scanned = await LibraryWaits.UntilIdleAsync(client, after: null);
                Assert.Equal((2L, 1L), (scanned.GetProperty("indexed").GetInt64(), scanned.GetProperty("unreadable").GetInt64()));
            }

            await using var second = new ConvEmbedApiFactory(owner.ConnectionString, AdminClient.Settings(new() { ["ConvEmbed:Library:Folders:0"] = music }));
            using var next = second.CreateClient().WithKey();
            var start = await LibraryWaits.UntilIdleAsync(next, after: null);
            var drop = (await ByFileAsync(next))["drop.wav"];
            Assert.Equal(HttpStatusCode.NoContent, (await next.DeleteAsync($"/tracks/{drop}")).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await next.PostAsync("/admin/library/scan", null)).StatusCode);
            var plain = await LibraryWaits.UntilIdleAsync(next, after: start.GetProperty("lastScanFinished").GetDateTimeOffset());

            Assert.Equal(["keep.wav"], (await ByFileAsync(next)).Keys);                                // unchanged files are not retried
            Assert.Equal((1L, 1L, 1L), (plain.GetProperty("indexed").GetInt64(), plain.GetProperty("excluded").GetInt64(),
                plain.GetProperty("unreadable").GetInt64()));
            Assert.True(File.Exists(Path.Combine(music, "drop.wav")));                              // the file is never touched

            Assert.Equal(HttpStatusCode.Accepted, (await next.PostAsync("/admin/library/scan?retry=true", null)).StatusCode);
            var retried = await LibraryWaits.UntilIdleAsync(next, after: plain.GetProperty("lastScanFinished").GetDateTimeOffset());
            // A scan that was already past its walk when the retry came finishes first; the one asked for follows.
            for (var i = 0; i < 3 && retried.GetProperty("indexed").GetInt64() < 3; i++)
                retried = await LibraryWaits.UntilIdleAsync(next, after: retried.GetProperty("lastScanFinished").GetDateTimeOffset());

            var after = await ByFileAsync(next);
            Assert.Equal(["big.wav", "drop.wav", "keep.wav"], after.Keys.Order());
            Assert.NotEqual(drop, after["drop.wav"]);                                                // a new track for the same file
            Assert.Equal((3L, 0L, 0L), (retried.GetProperty("indexed").GetInt64(), retried.GetProperty("excluded").GetInt64(),
                retried.GetProperty("unreadable").GetInt64()));
        }
        finally
        {
            await owner.DisposeAsync();
        }
    }

    [Fact]
    public void ALibraryFolderThatDoesNotExistStopsStartUpNamingTheSetting()
    {
        using var factory = new ConvEmbedApiFactory(new Dictionary<string, string?> { ["ConvEmbed:Library:Folders:0"] = Path.Combine(music, "nope") });

        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("ConvEmbed:Library:Folders", e.ToString());
        Assert.Contains("does not exist", e.ToString());
    }

    [Fact]
    public async Task WithoutFoldersTheLibraryIsEmptyAndAScanIsRefused()
    {
        await using var factory = new ConvEmbedApiFactory(AdminClient.Settings());
        using var client = factory.CreateClient().WithKey();

        var status = await Json.ReadAsync(await client.GetAsync("/library"));

        Assert.Equal((0, 0L, false), (status.GetProperty("folders").GetArrayLength(), status.GetProperty("indexed").GetInt64(), status.GetProperty("scanning").GetBoolean()));
        await Problems.AssertProblemAsync(await client.PostAsync("/admin/library/scan", null), HttpStatusCode.Conflict);
        await Problems.AssertProblemAsync(await client.GetAsync("/library/problems?pageSize=0"), HttpStatusCode.BadRequest);
    }

    /// <summary>Track ids by their file, relative to the music folder.</summary>
    private async Task<Dictionary<string, string>> ByFileAsync(HttpClient client) =>
        (await Json.ReadAsync(await client.GetAsync("/tracks?pageSize=100"))).GetProperty("items").EnumerateArray()
        .ToDictionary(t => Path.GetRelativePath(music, t.GetProperty("path").GetString()!), t => t.GetProperty("id").GetString()!);
}
