using System.Net;

namespace ConvEmbed.Service.Network;

/// <summary>
/// Where requests come from. Bound from <c>ConvEmbed:Network</c>. Behind a reverse proxy every request arrives from the
/// proxy's address, so per-client limits would put all clients in one partition: list the proxy in
/// <see cref="KnownProxies"/> and the client's address is taken from its <c>X-Forwarded-For</c> header instead.
/// Empty (the default): forwarded headers are ignored, since any client could send them.
/// </summary>
public sealed record NetworkOptions
{
    public const string Section = "ConvEmbed:Network";

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks (<c>172.18.0.0/16</c>) of proxies whose forwarded headers are trusted.</summary>
    public string[] KnownProxies { get; init; } = [];

    public IEnumerable<string> Validate()
    {
        foreach (var entry in KnownProxies)
            if (!IPAddress.TryParse(entry, out _) && !IPNetwork.TryParse(entry, out _))
                yield return $"{Section}:KnownProxies: '{entry}' is neither an IP address nor a network in CIDR notation (e.g. 10.0.0.5 or 172.18.0.0/16).";
    }

    /// <summary>The trusted proxies, split into single addresses and networks (entries already validated).</summary>
    public (IReadOnlyList<IPAddress> Addresses, IReadOnlyList<IPNetwork> Networks) Parse() =>
        (KnownProxies.Where(e => !e.Contains('/')).Select(IPAddress.Parse).ToList(),
         KnownProxies.Where(e => e.Contains('/')).Select(e => IPNetwork.Parse(e)).ToList());
}
