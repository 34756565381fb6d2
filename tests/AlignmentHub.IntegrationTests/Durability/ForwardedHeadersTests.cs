using System.Net;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Behind the reverse proxy of docker-compose.yml the app takes the client's scheme and address from X-Forwarded-Proto
/// and X-Forwarded-For, but only from the proxies it is told about: anyone else sending those headers is ignored
/// (so a client cannot pretend to be on https or spoof the address the sign-in limiter counts by).
/// </summary>
/// <remarks>
/// What shows that the forwarded scheme was believed: HSTS, which the app sends on https requests only.
/// The connection's address is set by a test header, before the app's own pipeline, as the socket would.
/// </remarks>
public sealed class ForwardedHeadersTests(AlignmentHubFactory database) : IClassFixture<AlignmentHubFactory>
{
    private const string Peer = "X-Test-Peer-Address";
    private const string Proxy = "172.28.0.10";

    [Fact]
    public async Task Only_the_configured_proxy_may_say_the_request_came_over_https()
    {
        using var behindProxy = Host(database, b => b.UseSetting("ForwardedHeaders:KnownProxies", Proxy));
        using var behindNetwork = Host(database, b => b.UseSetting("ForwardedHeaders:KnownNetworks:0", "172.28.0.0/24"));
        using var unconfigured = Host(database, _ => { });

        Assert.True(await HttpsBelievedAsync(behindProxy, from: Proxy));
        Assert.True(await HttpsBelievedAsync(behindNetwork, from: "172.28.0.77"));
        Assert.False(await HttpsBelievedAsync(behindProxy, from: "172.28.0.11"));
        Assert.False(await HttpsBelievedAsync(behindNetwork, from: "10.0.0.5"));

        // ASP.NET Core would trust loopback by default; with nothing configured nobody is trusted, loopback included.
        Assert.False(await HttpsBelievedAsync(unconfigured, from: "127.0.0.1"));
        Assert.False(await HttpsBelievedAsync(behindProxy, from: "127.0.0.1"));
    }

    [Fact]
    public void A_misspelt_proxy_address_stops_the_start_with_a_clear_message()
    {
        using var broken = Host(database, b => b.UseSetting("ForwardedHeaders:KnownProxies", "172.28.0.300"), start: false);

        var error = Assert.ThrowsAny<Exception>(() => broken.Server);

        Assert.Contains("ForwardedHeaders:KnownProxies: '172.28.0.300' is not an IP address.", Flatten(error), StringComparison.Ordinal);
    }

    private static async Task<bool> HttpsBelievedAsync(WebApplicationFactory<Program> host, string from)
    {
        using var http = host.CreateDefaultClient(new Uri("http://alignmenthub.test"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add(Peer, from);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.Contains("Strict-Transport-Security");
    }

    private static WebApplicationFactory<Program> Host(AlignmentHubFactory database, Action<IWebHostBuilder> configure, bool start = true)
    {
        var host = database.WithWebHostBuilder(b =>
        {
            configure(b);
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new ClientAddressFilter(Peer)));
        });
        if (start)
        {
            _ = host.Server;
        }

        return host;
    }

    private static string Flatten(Exception error) => error.InnerException is null ? error.Message : error.Message + " | " + Flatten(error.InnerException);
}
