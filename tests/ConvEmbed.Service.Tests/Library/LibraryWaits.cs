using System.Text.Json;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Library;

public static class LibraryWaits
{
    /// <summary>Polls GET /library until a scan finished (after <paramref name="after"/>, when given) and nothing waits.</summary>
    public static async Task<JsonElement> UntilIdleAsync(HttpClient client, DateTimeOffset? after, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var status = await Json.ReadAsync(await client.GetAsync("/library"));
            var finished = status.GetProperty("lastScanFinished");
            if (finished.ValueKind == JsonValueKind.String && (after is null || finished.GetDateTimeOffset() > after)
                && !status.GetProperty("scanning").GetBoolean() && status.GetProperty("waiting").GetInt64() == 0)
                return status;
            Assert.True(DateTime.UtcNow < deadline, $"the library did not finish its scan in time: {status}");
            await Task.Delay(200);
        }
    }
}
