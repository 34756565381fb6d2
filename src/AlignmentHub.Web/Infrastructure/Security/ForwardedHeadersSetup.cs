using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers the app believes, read from
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges). Each is a
/// list (<c>ForwardedHeaders__KnownProxies__0=…</c>) or one comma-separated value (<c>ForwardedHeaders__KnownProxies=a,b</c>).
/// </summary>
/// <remarks>
/// ASP.NET Core trusts loopback by default; here only what is configured is trusted (the defaults are cleared), and
/// with nothing configured the middleware is not used at all. X-Forwarded-Host is never read: links and redirects
/// keep the Host the proxy passes on. One hop (the proxy's own entry, the last one) is taken from X-Forwarded-For.
/// </remarks>
public sealed class ForwardedHeadersSetup
{
    private ForwardedHeadersSetup(IReadOnlyList<IPAddress> proxies, IReadOnlyList<System.Net.IPNetwork> networks)
    {
        Proxies = proxies;
        Networks = networks;
    }

    public IReadOnlyList<IPAddress> Proxies { get; }

    public IReadOnlyList<System.Net.IPNetwork> Networks { get; }

    /// <summary>The configured proxies, or null when none is configured (forwarded headers are then ignored).</summary>
    public static ForwardedHeadersSetup? FromConfiguration(IConfiguration configuration)
    {
        var proxies = Values(configuration.GetSection("ForwardedHeaders:KnownProxies"))
            .Select(v => IPAddress.TryParse(v, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{v}' is not an IP address."))
            .ToList();
        var networks = Values(configuration.GetSection("ForwardedHeaders:KnownNetworks"))
            .Select(v => System.Net.IPNetwork.TryParse(v, out var network)
                ? network
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{v}' is not a network in CIDR form (such as 172.28.0.0/24)."))
            .ToList();
        return proxies.Count == 0 && networks.Count == 0 ? null : new ForwardedHeadersSetup(proxies, networks);
    }

    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in Proxies)
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in Networks)
        {
            options.KnownIPNetworks.Add(network);
        }
    }

    private static IEnumerable<string> Values(IConfigurationSection section) =>
        (section.Value ?? string.Empty).Split(',')
            .Concat(section.GetChildren().Select(c => c.Value ?? string.Empty))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0);
}
