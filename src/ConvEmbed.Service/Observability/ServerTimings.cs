using System.Diagnostics;
using System.Globalization;

namespace ConvEmbed.Service.Observability;

/// <summary>
/// Durations of a request's phases for its <c>Server-Timing</c> header (W3C Server Timing: browsers show it with the
/// request, benchmarks read it): <c>decode;dur=31.2, index200;dur=12.0, …</c>. Not thread-safe: one request's phases in order.
/// </summary>
public sealed class ServerTimings
{
    private readonly List<(string Name, double Ms)> phases = [];

    /// <summary>Times a phase until the returned scope is disposed. Names are tokens (letters, digits).</summary>
    public Scope Measure(string name) => new(this, name, Stopwatch.GetTimestamp());

    public override string ToString() =>
        string.Join(", ", phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name};dur={p.Ms:0.0}")));

    /// <summary>Sets the header on the response (before its body starts).</summary>
    public void WriteTo(HttpResponse response)
    {
        if (phases.Count > 0) response.Headers["Server-Timing"] = ToString();
    }

    public readonly struct Scope(ServerTimings owner, string name, long started) : IDisposable
    {
        public void Dispose() => owner.phases.Add((name, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }
}
