using System.Net;
using System.Text.Json;
using ConvEmbed.Audio;
using ConvEmbed.Audio.Synthesis;
using ConvEmbed.AudioWriting;
using ConvEmbed.Model.Passages;
using ConvEmbed.Service.Models;
using ConvEmbed.Service.Passages;
using ConvEmbed.Service.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConvEmbed.Service.Tests.Passages;

/// <summary>
/// Search inside tracks, proved on tracks built from distinct 12-s generated sections: A = s0 s1 s2, B = s3 s4 s5,
/// C = s6 s1 s7 (shares s1 with A, at the same place), D = x y x (x twice). An excerpt re-encoded with another gain
/// is found in its track at its time (± one hop), a shared section in both tracks, a repeat within its own track.
/// </summary>
public sealed class PassageSearchTests : IAsyncLifetime
{
    private const double Section = 12, Hop = 1.5;
    private readonly ConvEmbedApiFactory factory = new(new() { ["ConvEmbed:Passages:MaxClipSeconds"] = "30" });
    private readonly Dictionary<string, float[]> samples = [];
    private readonly Dictionary<string, string> ids = [];
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        var music = new SyntheticMusic();
        float[] S(int style, int index) => music.Generate(style, index, seed: 8, seconds: Section).Samples;
        float[] s1 = S(1, 1), x = S(0, 5);
        samples["A"] = [.. S(0, 0), .. s1, .. S(2, 2)];
        samples["B"] = [.. S(3, 3), .. S(4, 4), .. S(5, 5)];
        samples["C"] = [.. S(6, 6), .. s1, .. S(7, 7)];
        samples["D"] = [.. x, .. S(3, 9), .. x];
        foreach (var (name, track) in samples)
        {
            var response = await client.PostTrackAsync(WavWriter.ToBytes(track, 1, FrontEnd.SampleRate), $"{name}.wav", ("title", name));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids[name] = (await Json.ReadAsync(response)).GetProperty("id").GetString()!;
        }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private float[] Cut(string track, double from, double seconds, float gain = 1) =>
        samples[track].AsSpan((int)(from * FrontEnd.SampleRate), (int)(seconds * FrontEnd.SampleRate)).ToArray().Select(v => v * gain).ToArray();

    private async Task<List<JsonElement>> SearchAsync(byte[] clip, string fileName, string query = "")
    {
        var response = await client.PostAsync($"/search/passages{query}", Uploads.Form(clip, fileName));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        // Where the time went, as a Server-Timing header: decoding, the index (first round), reading, scoring.
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^decode;dur=[0-9.]+, index200;dur=[0-9.]+, (index800;dur=[0-9.]+, )?read;dur=[0-9.]+, score;dur=[0-9.]+$", timing);
        var answer = await Json.ReadAsync(response);
        Assert.Equal((await Json.ReadAsync(await client.GetAsync("/models/active"))).GetProperty("id").GetInt64(), answer.GetProperty("modelId").GetInt64());
        return answer.GetProperty("items").EnumerateArray().ToList();
    }

    private string NameOf(JsonElement item) => ids.Single(p => p.Value == item.GetProperty("trackId").GetString()).Key;

    [Fact]
    public async Task AReEncodedExcerptIsFoundInItsTrackAtItsTimeAndNothingIsStored()
    {
        var before = await StoreSnapshot.TakeAsync(factory);
        var mp3 = await new FfmpegEncoder(new AudioOptions()).EncodeAsync(Cut("B", 14.3, 12, gain: 0.5f), 1, FrontEnd.SampleRate, AudioFileFormat.Mp3);
        var items = await SearchAsync(mp3, "excerpt.mp3", "?k=3");

        Assert.Equal("B", NameOf(items[0]));
        Assert.InRange(items[0].GetProperty("start").GetDouble(), 14.3 - Hop, 14.3 + Hop);
        Assert.InRange(items[0].GetProperty("end").GetDouble(), 14.3 + 12 - 2 * Hop, 14.3 + 12 + Hop);
        Assert.True(items[0].GetProperty("similarity").GetDouble() > items[1].GetProperty("similarity").GetDouble());
        Assert.StartsWith($"/tracks/{ids["B"]}/audio#t=", items[0].GetProperty("audioUrl").GetString());
        Assert.Equal(3, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("trackId").GetString()).Distinct().Count()); // perTrack 1
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [Fact]
    public async Task ASectionInTwoTracksFindsBoth()
    {
        var items = await SearchAsync(WavWriter.ToBytes(Cut("A", 14.5, 7), 1, FrontEnd.SampleRate), "shared.wav", "?k=4");
        Assert.Equal(["A", "C"], items.Take(2).Select(NameOf).Order());
        Assert.All(items.Take(2), i => Assert.InRange(i.GetProperty("start").GetDouble(), 14.5 - Hop, 14.5 + Hop));

        // The same part asked for by a stored track: the other track that has it, not the track itself.
        var similar = await Json.ReadAsync(await client.GetAsync($"/tracks/{ids["A"]}/passages?start=13.5&end=22.5&k=3"));
        var others = similar.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, similar.GetProperty("passages").GetInt32()); // those inside: starting at 13.5 … 19.5
        Assert.Equal("C", NameOf(others[0]));
        Assert.InRange(others[0].GetProperty("start").GetDouble(), 13.5 - Hop, 13.5 + Hop);
        Assert.DoesNotContain(others, i => NameOf(i) == "A");
    }

    [Fact]
    public async Task IncludeSelfFindsARepeatInTheSameTrackButNotThePartItself()
    {
        var answer = await Json.ReadAsync(await client.GetAsync($"/tracks/{ids["D"]}/passages?start=0&end=12&includeSelf=true&perTrack=2&k=5"));
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("D", NameOf(items[0]));
        Assert.InRange(items[0].GetProperty("start").GetDouble(), 24 - Hop, 24 + Hop);
        Assert.DoesNotContain(items, i => NameOf(i) == "D" && i.GetProperty("start").GetDouble() < 12);
    }

    [Fact]
    public async Task TheStripChangesMostAtSectionBorders()
    {
        var strip = await Json.ReadAsync(await client.GetAsync($"/tracks/{ids["B"]}/strip"));
        var passages = strip.GetProperty("passages").EnumerateArray().ToList();
        Assert.Equal(23, passages.Count); // (36 s − 3 s) / 1.5 s + 1
        Assert.Equal((3.0, 1.5), (strip.GetProperty("passageSeconds").GetDouble(), strip.GetProperty("hopSeconds").GetDouble()));
        Assert.Equal(0, passages[0].GetProperty("change").GetDouble());
        bool AtBorder(JsonElement p) => p.GetProperty("start").GetDouble() < 24 && p.GetProperty("end").GetDouble() > 24
                                        || p.GetProperty("start").GetDouble() < 12 && p.GetProperty("end").GetDouble() > 12;
        var border = passages.Where(AtBorder).Average(p => p.GetProperty("change").GetDouble());
        var inside = passages.Skip(1).Where(p => !AtBorder(p)).Average(p => p.GetProperty("change").GetDouble());
        Assert.True(border > 1.2 * inside, $"change at section borders {border:0.000}, inside sections {inside:0.000}");
    }

    [Fact]
    public async Task BadRequestsAreProblemsAndStoreNothing()
    {
        var before = await StoreSnapshot.TakeAsync(factory);
        var wav = (float[] s) => WavWriter.ToBytes(s, 1, FrontEnd.SampleRate);

        var tooShort = await client.PostAsync("/search/passages", Uploads.Form(wav(Cut("A", 0, 2)), "short.wav"));
        await Problems.AssertProblemAsync(tooShort, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("at least 3 s", (await Json.ReadAsync(tooShort)).GetProperty("detail").GetString());
        var tooLong = await client.PostAsync("/search/passages", Uploads.Form(wav(samples["A"]), "long.wav"));
        await Problems.AssertProblemAsync(tooLong, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 30 s", (await Json.ReadAsync(tooLong)).GetProperty("detail").GetString());
        await Problems.AssertProblemAsync(await client.PostAsync("/search/passages", Uploads.Form(wav(Cut("A", 0, 5)), "k.wav", ("k", "0"))), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsync("/search/passages?k=101", Uploads.Form(wav(Cut("A", 0, 5)), "k.wav")), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsync("/search/passages", Uploads.Form(wav(Cut("A", 0, 5)), "p.wav", ("perTrack", "many"))), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsync("/search/passages", Uploads.Form("not audio"u8.ToArray(), "x.wav")), HttpStatusCode.UnprocessableEntity);

        var a = ids["A"];
        foreach (var query in new[] { "", "?start=5", "?start=9&end=3", "?start=-1&end=3", "?start=30&end=37", "?start=0&end=5&k=0", "?start=0&end=5&perTrack=101" })
            await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{a}/passages{query}"), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{Guid.NewGuid()}/passages?start=0&end=3"), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await client.GetAsync("/tracks/nope/passages?start=0&end=3"), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.GetAsync($"/tracks/{Guid.NewGuid()}/strip"), HttpStatusCode.NotFound);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [Fact]
    public async Task PassagesAreIndexedDeletedWithTheirTrackAndFilledInWhenMissing()
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        var model = await ScalarAsync<long>(connection, "SELECT id FROM models WHERE is_active");
        // 36-s tracks: 23 passages each, every one stored with the track.
        Assert.Equal(4 * 23L, await ScalarAsync<long>(connection, $"SELECT count(*) FROM passages WHERE model_id = {model}"));

        // The index holds the passages that tile each track: every other one at the default plan.
        Assert.Contains("WHERE ((model_id = " + model + ") AND ((seq % 2) = 0))",
            await ScalarAsync<string>(connection, $"SELECT indexdef FROM pg_indexes WHERE indexname = '{PassageIndex.Name(model)}' AND schemaname = current_schema()"));

        // The candidate query's form (one index scan per clip passage, the index's condition stated) can use the model's
        // passage index: with 92 rows a sort is cheaper, so the plan is asked for with scans that do not order priced out.
        await using (var explain = new NpgsqlCommand($"""
            SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off;
            EXPLAIN SELECT c.track_id FROM unnest(ARRAY(SELECT embedding FROM passages LIMIT 2)) AS q(v)
            CROSS JOIN LATERAL (SELECT p.track_id FROM passages p WHERE p.model_id = {model} AND {PassageIndex.Indexed(PassagePlan.Default, "p")}
                                ORDER BY p.embedding::halfvec(80) <=> q.v::halfvec(80) LIMIT 10) c
            """, connection))
        {
            var plan = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            Assert.Contains(PassageIndex.Name(model), string.Join("\n", plan));
        }

        // Lost passages (a database from before passages, or passages turned off meanwhile) come back, the same.
        var d = ids["D"];
        // (From the cached log-mel now, from the decoded upload before: the same up to the cache's rounding.)
        await ScalarAsync<int>(connection, $"""
            CREATE TEMP TABLE lost AS SELECT seq, embedding FROM passages WHERE track_id = '{d}';
            WITH gone AS (DELETE FROM passages WHERE track_id = '{d}' RETURNING 1) SELECT count(*)::int FROM gone
            """);
        // 1 — or 0 when the background backfill (every minute) came first: either way the passages are back below.
        Assert.InRange(await factory.Services.GetRequiredService<PassageBackfill>().FillAsync(CancellationToken.None), 0, 1);
        Assert.Equal(23L, await ScalarAsync<long>(connection, $"SELECT count(*) FROM passages p JOIN lost l USING (seq) WHERE p.track_id = '{d}'"));
        Assert.True(await ScalarAsync<double>(connection, $"""
            SELECT min(1 - (p.embedding::halfvec(80) <=> l.embedding::halfvec(80))) FROM passages p JOIN lost l USING (seq) WHERE p.track_id = '{d}'
            """) > 0.999);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/tracks/{d}")).StatusCode);
        Assert.Equal(0L, await ScalarAsync<long>(connection, $"SELECT count(*) FROM passages WHERE track_id = '{d}'"));
    }

    [Fact]
    public async Task TurnedOffNothingIsWrittenAndSearchesAre409()
    {
        await using var off = new ConvEmbedApiFactory(new() { ["ConvEmbed:Passages:Enabled"] = "false" });
        var offClient = off.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await offClient.PostTrackAsync(WavWriter.ToBytes(Cut("A", 0, 6), 1, FrontEnd.SampleRate))).StatusCode);
        Assert.Equal(0L, (await StoreSnapshot.TakeAsync(off)).Passages);
        var title = await Problems.AssertProblemAsync(
            await offClient.PostAsync("/search/passages", Uploads.Form(WavWriter.ToBytes(Cut("A", 0, 5), 1, FrontEnd.SampleRate), "c.wav")), HttpStatusCode.Conflict);
        Assert.Contains("turned off", title);
    }

    [Fact]
    public async Task FillingInPassesByATrackThatCannotBeReadAndNamesIt()
    {
        await using var off = new ConvEmbedApiFactory(new() { ["ConvEmbed:Passages:Enabled"] = "false" });
        var offClient = off.CreateClient();
        foreach (var (name, gain) in new[] { ("A", 0.5), ("B", 0.5), ("C", 0.4) })
            Assert.Equal(HttpStatusCode.Created, (await offClient.PostTrackAsync(WavWriter.ToBytes(Cut(name, 0, 6).Select(x => (float)(x * gain)).ToArray(), 1, FrontEnd.SampleRate))).StatusCode);
        await using var connection = new NpgsqlConnection(off.ConnectionString);
        await connection.OpenAsync();
        // The middle track in id order loses its cached log-mel and its stored audio.
        var lost = await ScalarAsync<string>(connection, "SELECT sha256 FROM tracks ORDER BY id OFFSET 1 LIMIT 1");
        File.Delete(off.Services.GetRequiredService<ConvEmbed.Audio.Cache.FeatureCache>().PathFor(lost));
        off.Services.GetRequiredService<ConvEmbed.Service.Storage.BlobStore>().Delete(lost);

        var model = await off.Services.GetRequiredService<ModelRegistry>().GetActiveAsync(CancellationToken.None);
        var reembedder = off.Services.GetRequiredService<ConvEmbed.Service.Training.Reembedder>();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            reembedder.EmbedMissingAsync(model.Id, model.Embedder, PassagePlan.Default, null, CancellationToken.None));
        Assert.StartsWith("1 track(s) could not be read", error.Message);
        Assert.Equal(2L, await ScalarAsync<long>(connection, "SELECT count(DISTINCT track_id) FROM passages"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, $"SELECT count(*) FROM passages p JOIN tracks t ON t.id = p.track_id WHERE t.sha256 = '{lost}'"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
