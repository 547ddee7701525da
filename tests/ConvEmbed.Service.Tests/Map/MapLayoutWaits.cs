using System.Text.Json;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>Settings that make the map worker react at once, and waiting for a layout.</summary>
public static class MapLayoutWaits
{
    public static readonly Dictionary<string, string?> FastMap = new()
    {
        ["ConvEmbed:Map:WorkerEnabled"] = "true",
        ["ConvEmbed:Map:CheckSeconds"] = "0.2",
        ["ConvEmbed:Map:RefreshSeconds"] = "0",
    };

    /// <summary>/map/points once its state is "ready" with <paramref name="tracks"/> points (of <paramref name="model"/>, if given).</summary>
    public static async Task<JsonElement> WaitForMapAsync(this HttpClient client, int tracks, long? model = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        JsonElement map;
        do
        {
            map = await Json.ReadAsync(await client.GetAsync("/map/points"));
            if (map.GetProperty("state").GetString() == "ready" && map.GetProperty("points").GetArrayLength() == tracks
                && (model is null || map.GetProperty("modelId").GetInt64() == model)) return map;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"the map did not become ready with {tracks} points: {map}");
    }

    public static double Distance2(JsonElement a, JsonElement b) =>
        Math.Pow(a.GetProperty("x").GetDouble() - b.GetProperty("x").GetDouble(), 2) +
        Math.Pow(a.GetProperty("y").GetDouble() - b.GetProperty("y").GetDouble(), 2);
}
