using System.Net;
using System.Text.RegularExpressions;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>The app in the Production environment over https, with the real sign-in limit.</summary>
public sealed class ProductionSessionsFactory : SessionsFactory
{
    public ProductionSessionsFactory()
    {
        Production = true;
        SignInAttemptsPerMinute = 10;
    }
}

/// <summary>
/// Security headers on every response (checklist B.14) and the cookies' attributes (B.10), with the Production
/// settings: every GET route of the app (found by reflection over the routing table, demo ids substituted) signed in
/// and anonymous, the 404 and a real 500, static files, health endpoints, 400 and 429.
/// </summary>
public sealed partial class ProductionHeadersAndCookiesTests(ProductionSessionsFactory factory) : IClassFixture<ProductionSessionsFactory>
{
    [Fact]
    public async Task Every_get_route_carries_the_headers_signed_in_and_anonymous()
    {
        var urls = await GetRouteUrlsAsync();
        Assert.True(urls.Count >= 30, $"only {urls.Count} GET routes found");
        Assert.Contains("/admin/users", urls);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        using var anonymous = factory.NewClient();
        var statuses = new List<string>();

        foreach (var url in urls)
        {
            using var signedIn = await admin.Http.GetAsync(url);
            Assert.True((int)signedIn.StatusCode < 500, $"{url}: {(int)signedIn.StatusCode}");
            SecurityHeaders.AssertPresent(signedIn, "admin " + url, https: true, signedIn: true);
            statuses.Add($"{(int)signedIn.StatusCode} {url}");

            using var anon = await anonymous.Http.GetAsync(url);
            Assert.True((int)anon.StatusCode < 500, $"anonymous {url}: {(int)anon.StatusCode}");
            SecurityHeaders.AssertPresent(anon, "anonymous " + url, https: true, signedIn: false);
        }

        // The substituted ids are real: an administrator opens every page, except those that by design answer otherwise.
        var expectedOtherwise = new[] { "404 /error/404", "302 /account/login", "403 /account/access-denied", "302 /dashboards/teams" /* on to the user's team */ };
        Assert.Equal(expectedOtherwise.Order(), statuses.Where(s => !s.StartsWith("200 ", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Error_pages_static_files_health_and_rejected_posts_carry_the_headers()
    {
        using var admin = await factory.SignedInAsync(Demo.Admin);
        using var anonymous = factory.NewClient();

        foreach (var url in new[] { "/no-such-page", "/products/1/goals/99999999" })
        {
            using var notFound = await admin.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
            SecurityHeaders.AssertPresent(notFound, "404 " + url, https: true, signedIn: true);
        }

        foreach (var url in new[] { "/css/site.css", "/js/site.js", "/lib/bootstrap/css/bootstrap.min.css", "/lib/bootstrap/js/bootstrap.bundle.min.js", "/favicon.svg", "/health/live", "/health/ready" })
        {
            using var response = await anonymous.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            SecurityHeaders.AssertPresent(response, url, https: true, signedIn: false);
        }

        var badRequest = await admin.PostRawAsync("/account/logout", []); // no antiforgery token
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        SecurityHeaders.AssertPresent(badRequest.Response, "400", https: true, signedIn: true);

        using var limited = factory.NewClient();
        var token = await limited.GetTokenAsync("/account/login");
        Page? last = null;
        for (var i = 0; i < 11; i++)
        {
            last = await limited.PostWithTokenAsync("/account/login", token, [new("Email", $"nobody-{Guid.NewGuid():N}@alignmenthub.test"), new("Password", "wrong-password")]);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        SecurityHeaders.AssertPresent(last.Response, "429", https: true, signedIn: false);
    }

    [Fact]
    public async Task A_real_500_shows_the_friendly_page_with_the_headers_and_no_internals()
    {
        using var admin = await factory.SignedInAsync(Demo.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/products/1/goals")).StatusCode);

        factory.Faults.FailNextCommand(); // the goals query of the next request throws deep inside EF
        var page = await admin.GetAsync("/products/1/goals");

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Something went wrong · AlignmentHub", page.Document.Title);
        foreach (var leak in new[] { "secret-internal-detail", "InvalidOperationException", "   at ", "StackTrace", "Microsoft.", "AlignmentHub.Web.", "System." })
        {
            Assert.DoesNotContain(leak, page.Html, StringComparison.Ordinal);
        }

        SecurityHeaders.AssertPresent(page.Response, "500", https: true, signedIn: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/products/1/goals")).StatusCode); // one fault, then back to normal
    }

    [Fact]
    public async Task Cookies_are_host_only_secure_httponly_and_same_site_in_production()
    {
        using var client = factory.NewClient();
        var seen = new List<string>();
        async Task<Page> Track(Task<Page> request)
        {
            var page = await request;
            if (page.Response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                seen.AddRange(cookies);
            }

            return page;
        }

        await Track(client.GetAsync("/account/login"));
        var signIn = await Track(client.SignInAsync(Demo.Executive));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await Track(client.GetAsync("/"));
        var logout = await Track(client.PostFormAsync("/account/logout", "/", []));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        await Track(client.GetAsync("/account/login")); // shows (and clears) the flash held in the TempData cookie

        var byName = seen.GroupBy(c => c.Split('=', 2)[0]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Contains("__Host-AlignmentHub", byName.Keys);
        Assert.Contains("__Host-AlignmentHub.Csrf", byName.Keys);
        Assert.Contains("__Host-AlignmentHub.TempData", byName.Keys);
        foreach (var cookie in seen)
        {
            var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
            Assert.StartsWith("__Host-", cookie, StringComparison.Ordinal);
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains("path=/", attributes);
            Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
            Assert.Contains(attributes, a => a is "samesite=lax" or "samesite=strict");
        }

        Assert.All(byName["__Host-AlignmentHub.Csrf"], c => Assert.Contains("samesite=strict", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_copied_production_cookie_is_refused_after_sign_out()
    {
        using var client = factory.NewClient();
        var signIn = await client.SignInAsync(Demo.Member);
        var auth = signIn.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-AlignmentHub=", StringComparison.Ordinal)).Split(';')[0];
        using var thief = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://alignmenthub.test") });
        async Task<HttpStatusCode> ReplayAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/okrs");
            request.Headers.Add("Cookie", auth);
            using var response = await thief.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await ReplayAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/account/logout", "/", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync());
    }

    /// <summary>Every GET route of the app with demo ids in place of its parameters.</summary>
    private async Task<List<string>> GetRouteUrlsAsync()
    {
        var ids = await factory.QueryAsync(async db => new Dictionary<string, string>
        {
            ["productId"] = Demo.ProductId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["goalId"] = (await db.Goals.Where(g => g.ProductId == Demo.ProductId && g.Rank != null).MinAsync(g => g.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["objectiveId"] = (await db.Objectives.MinAsync(o => o.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["keyResultId"] = (await db.KeyResults.MinAsync(k => k.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["teamId"] = (await db.Teams.MinAsync(t => t.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["itemId"] = (await db.RoadmapItems.MinAsync(i => i.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["userId"] = await db.Users.Where(u => u.Email == Demo.Member).Select(u => u.Id).SingleAsync(),
            ["code"] = "404",
        });
        var actions = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items;
        var urls = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var action in actions.Where(a => a.AttributeRouteInfo?.Template is not null))
        {
            var methods = action.ActionConstraints?.OfType<HttpMethodActionConstraint>().SelectMany(c => c.HttpMethods).ToList() ?? [];
            if (methods.Count > 0 && !methods.Contains("GET"))
            {
                continue;
            }

            var template = action.AttributeRouteInfo!.Template!;
            var url = "/" + Parameter().Replace(template, m =>
            {
                var name = m.Groups["name"].Value;

                // "{id}" is an objective under okrs/objectives and a roadmap item under roadmap/items.
                var key = name == "id" ? (template.StartsWith("roadmap/items", StringComparison.Ordinal) ? "itemId" : "objectiveId") : name;
                return ids.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"No demo id for '{name}' in {template}: add one here.");
            });
            var query = template.EndsWith("vision/diff", StringComparison.Ordinal) ? "?from=1&to=2" : string.Empty; // the page compares two versions
            urls.Add((url.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/") + query);
        }

        return [.. urls];
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
