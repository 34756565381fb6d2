using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>
/// Lets a test say which address a request comes from: the in-memory test server has none, and per-address limits and
/// trusted-proxy rules depend on it. The filter runs first and turns the test's own header into the connection's
/// remote address.
/// </summary>
public sealed class ClientAddressFilter(string header) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(header, out var value) && IPAddress.TryParse(value, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
