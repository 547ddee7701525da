using System.Net;
using System.Text.Json;

namespace ConvEmbed.Service.Tests.Support;

public static class Problems
{
    /// <summary>Asserts the status and that the body is RFC 9457 problem details with a title; returns the title.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        var title = json.RootElement.GetProperty("title").GetString();
        Assert.False(string.IsNullOrWhiteSpace(title));
        Assert.DoesNotContain("   at ", body); // never a stack trace
        return title!;
    }
}
