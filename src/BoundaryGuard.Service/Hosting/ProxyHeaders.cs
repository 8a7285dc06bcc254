using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace BoundaryGuard.Service.Hosting;

/// <summary>
/// Forwarded headers (<c>X-Forwarded-Proto</c>, <c>X-Forwarded-For</c>) from the proxies IT names and no others
/// (section <c>ForwardedHeaders</c>: <c>KnownProxies</c>, addresses; <c>KnownNetworks</c>, CIDR ranges). Behind a
/// TLS-terminating proxy they make the request https (Secure cookies, https sign-in redirects); from anyone else they
/// are ignored, so a client cannot claim to be another address or scheme
/// (https://learn.microsoft.com/aspnet/core/host-and-deploy/proxy-load-balancer). ASP.NET Core's own switch,
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, trusts every proxy and is refused in production.
/// </summary>
public static class ProxyHeaders
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var (proxies, networks) = Read(configuration);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Not the defaults (loopback): only what IT listed.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, when IT named a proxy: everything after it sees the client's scheme and address.</summary>
    public static WebApplication UseProxyHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (proxies, networks) = Read(app.Configuration);
        if (proxies.Count + networks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>The start-up check's lines: unreadable entries, and the switch that trusts every proxy in production.</summary>
    internal static IEnumerable<string> Problems(IConfiguration configuration, bool production)
    {
        var section = configuration.GetSection(Section);
        foreach (var entry in section.GetSection("KnownProxies").GetChildren().Where(e => !IPAddress.TryParse(e.Value, out _)))
        {
            yield return $"{entry.Path} must be an IP address.";
        }

        foreach (var entry in section.GetSection("KnownNetworks").GetChildren().Where(e => !IPNetwork.TryParse(e.Value, out _)))
        {
            yield return $"{entry.Path} must be a network in CIDR form, e.g. 10.0.0.0/24.";
        }

        if (production && (bool.TryParse(configuration["FORWARDEDHEADERS_ENABLED"], out var on) && on
            || bool.TryParse(configuration["ASPNETCORE_FORWARDEDHEADERS_ENABLED"], out var prefixed) && prefixed))
        {
            yield return "ASPNETCORE_FORWARDEDHEADERS_ENABLED trusts forwarded headers from anyone: remove it and list the proxy in ForwardedHeaders:KnownProxies (or KnownNetworks).";
        }
    }

    private static (List<IPAddress> Proxies, List<IPNetwork> Networks) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").GetChildren()
            .Select(e => IPAddress.TryParse(e.Value, out var address) ? address : null).OfType<IPAddress>().ToList();
        var networks = section.GetSection("KnownNetworks").GetChildren()
            .Select(e => IPNetwork.TryParse(e.Value, out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>().ToList();
        return (proxies, networks);
    }
}
