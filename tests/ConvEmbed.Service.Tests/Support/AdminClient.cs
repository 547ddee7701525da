using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ConvEmbed.Service.Tests.Support;

/// <summary>The admin API as a test uses it: a client with the key, jobs started and followed to their end.</summary>
public static class AdminClient
{
    public const string Key = "test-admin-key-0123456789";

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConvEmbed:Admin:ApiKey"] = Key,
            ["ConvEmbed:Training:MinTracks"] = "6",
            ["ConvEmbed:Training:PollSeconds"] = "0.5",
            ["ConvEmbed:Training:HeartbeatTimeoutSeconds"] = "3",
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    public static HttpClient WithKey(this HttpClient client)
    {
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    public static async Task<JsonElement> StartTrainingAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/admin/training", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal($"/admin/training/{doc.RootElement.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> JobAsync(this HttpClient client, long id) =>
        await Json.ReadAsync(await client.GetAsync($"/admin/training/{id}"));

    /// <summary>Polls the job until <paramref name="until"/> holds; returns it and every state seen on the way.</summary>
    public static async Task<(JsonElement Job, List<string> States)> WaitForJobAsync(this HttpClient client, long id, Func<JsonElement, bool> until,
        TimeSpan? timeout = null)
    {
        var states = new List<string>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var job = await client.JobAsync(id);
            var state = job.GetProperty("state").GetString()!;
            if (states.Count == 0 || states[^1] != state) states.Add(state);
            if (until(job)) return (job, states);
            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not get there in time; states {string.Join(" → ", states)}: {job}");
            await Task.Delay(100);
        }
    }

    public static bool IsEnded(JsonElement job) => job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled";
}
