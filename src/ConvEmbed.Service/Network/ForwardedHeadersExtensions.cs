using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ConvEmbed.Service.Network;

public static class ForwardedHeadersExtensions
{
    /// <summary>Trusts <c>X-Forwarded-For</c>/<c>-Proto</c> from the proxies of <see cref="NetworkOptions"/>, and only from them.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((o, network) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear(); // the framework trusts loopback by default; here only what is configured
            o.KnownIPNetworks.Clear();
            var (addresses, networks) = network.Value.Parse();
            foreach (var address in addresses) o.KnownProxies.Add(address);
            foreach (var ipNetwork in networks) o.KnownIPNetworks.Add(ipNetwork);
        });
        return services;
    }

    /// <summary>Rewrites the client address from forwarded headers when proxies are configured; a no-op otherwise.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value.KnownProxies.Length > 0) app.UseForwardedHeaders();
        return app;
    }
}
