using System.Net;
using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Platform;

/// <summary>
/// Read-only checks on the freshly seeded app: the demo goals, error pages, security headers and the EF model.
/// No test of this class changes data, so the demo state is exactly as seeded.
/// </summary>
public sealed class PlatformTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_demo_goals_are_listed_in_rank_order_with_the_retired_goal_apart()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/products/1/goals");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var items = page.Document.QuerySelectorAll("ol.goal-list > li").ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], items.Select(i => i.QuerySelector(".rank-badge")!.TextContent.Trim()));
        Assert.Equal(
            [
                "Grow net revenue retention to 115 %",
                "New customers see value within 7 days",
                "The most reliable support platform in our category",
                "Win the mid-market in Germany and France",
                "Reduce cost to serve by 20 %",
            ],
            items.Select(i => i.QuerySelector("h2")!.TextContent.Trim()));
        Assert.DoesNotContain(items, i => i.TextContent.Contains("Launch a partner app marketplace", StringComparison.Ordinal));
        var heading = page.Document.QuerySelectorAll("h2").Single(h => h.TextContent.Trim() == "Achieved and retired");
        var inactive = heading.NextElementSibling!;
        Assert.Contains("Launch a partner app marketplace", inactive.TextContent, StringComparison.Ordinal);
        Assert.Contains("Retired", inactive.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/products/1/no-such-page")]
    [InlineData("/products/abc/vision")]
    [InlineData("/products/99999999999/vision")]
    [InlineData("/products/-1/vision")]
    [InlineData("/products/0/goals")]
    [InlineData("/products/1/goals/abc")]
    [InlineData("/products/1/goals/99999999999/edit")]
    public async Task Unknown_addresses_get_the_friendly_404_page_without_internals(string url)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);

        var page = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("couldn't find that page", page.Text, StringComparison.Ordinal);
        AssertNoInternals(page);
    }

    [Fact]
    public async Task The_403_page_is_friendly_and_leaks_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/products/1/goals/new");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("You don't have permission to do that", page.Text, StringComparison.Ordinal);
        AssertNoInternals(page);
    }

    [Fact]
    public async Task A_rejected_form_post_gets_the_friendly_400_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.PostRawAsync("/account/logout", []);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("That request could not be handled", page.Text, StringComparison.Ordinal);
        AssertNoInternals(page);
    }

    public static TheoryData<string, bool> HeaderPages => new()
    {
        { "/", true },
        { "/products/1/vision", true },
        { "/products/1/goals", true },
        { "/no-such-page", true },
        { "/products/1/goals/new", true },
        { "/account/login", false },
        { "/no-such-page", false },
        { "/css/site.css", false },
        { "/js/site.js", false },
        { "/health/ready", false },
    };

    [Theory]
    [MemberData(nameof(HeaderPages))]
    public async Task Every_response_carries_the_security_headers(string url, bool signedIn)
    {
        using var client = signedIn ? await TestClient.SignedInAsync(factory, Demo.Executive) : new TestClient(factory);

        using var response = await client.Http.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}");
        var csp = Header(response, "Content-Security-Policy");
        Assert.NotNull(csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).SingleOrDefault(d => d.StartsWith("script-src ", StringComparison.Ordinal))
            ?? csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("default-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("*", scriptSrc, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.False(string.IsNullOrWhiteSpace(Header(response, "Referrer-Policy")));
        Assert.Null(Header(response, "Server"));
        Assert.Null(Header(response, "X-Powered-By"));
        if (signedIn)
        {
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{url}: Cache-Control is '{response.Headers.CacheControl}'");
        }
    }

    [Fact]
    public async Task Https_responses_carry_hsts_for_a_year_with_subdomains()
    {
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://alignmenthub.test") });

        using var response = await http.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hsts = Header(response, "Strict-Transport-Security");
        Assert.NotNull(hsts);
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
        Assert.Contains("includeSubDomains", hsts, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_editable_entity_has_the_version_concurrency_token()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var entityTypes = db.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)).ToList();

        var expected = typeof(Entity).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Entity)) && !t.IsAbstract).Select(t => t.Name).OrderBy(n => n);
        Assert.Equal(expected, entityTypes.Select(t => t.ClrType.Name).OrderBy(n => n));
        Assert.Contains(entityTypes, t => t.ClrType.Name == "Goal");
        Assert.Contains(entityTypes, t => t.ClrType.Name == "Vision");
        Assert.Contains(entityTypes, t => t.ClrType.Name == "Product");
        Assert.All(entityTypes, t =>
        {
            var version = t.FindProperty(nameof(Entity.Version));
            Assert.True(version is { IsConcurrencyToken: true }, $"{t.ClrType.Name}.Version is not a concurrency token");
            Assert.Equal(typeof(long), version!.ClrType);
        });
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes that no migration captures");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_seeded_database_runs_on_the_expected_provider()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.Equal(factory.IsPostgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
        Assert.Equal(Demo.ProductName, await db.Products.Where(p => p.Id == Demo.ProductId).Select(p => p.Name).SingleAsync());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static void AssertNoInternals(Page page)
    {
        foreach (var leak in new[] { "   at ", "Exception", "StackTrace", "Microsoft.AspNetCore", "AlignmentHub.Web.", "System." })
        {
            Assert.DoesNotContain(leak, page.Html, StringComparison.Ordinal);
        }
    }
}
