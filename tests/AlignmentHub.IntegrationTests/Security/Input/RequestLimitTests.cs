using System.Net;
using System.Text;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>The app as deployed: Production environment (HTTPS-only cookies, the error pages of production).</summary>
public sealed class ProductionAlignmentHubFactory : AlignmentHubFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }

    /// <summary>A signed-in client over https (production cookies are Secure and __Host- named).</summary>
    public async Task<TestClient> SignedInAsync(string email)
    {
        var client = new TestClient(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));
        var page = await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        return client;
    }
}

/// <summary>
/// Checklist item 18: an oversized body is answered 413, too many form fields 400, malformed and unknown ids in any
/// address 400/404 — each with the friendly error page, no stack trace, nothing saved. Runs in the Production environment.
/// </summary>
public sealed class RequestLimitTests(ProductionAlignmentHubFactory factory) : IClassFixture<ProductionAlignmentHubFactory>
{
    public const long BodyLimit = RequestLimitsMiddleware.MaxBodyBytes;

    private static readonly string[] BadIds = ["abc", "-1", "99999999999", "0", "1.5", "1e3", "%20", "0x1"];

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_with_413_and_the_friendly_page_and_nothing_is_saved()
    {
        using var client = await factory.SignedInAsync(Demo.Admin);
        var token = await client.GetTokenAsync("/products/1/vision/edit");
        var before = await DbFingerprint.TakeAsync(factory);
        var edit = await client.GetAsync("/products/1/vision/edit");
        var fields = HtmlForms.FormOf(edit, "/products/1/vision/edit").Fields.Set("Text", new string('x', (int)BodyLimit));

        var page = await client.PostWithTokenAsync("/products/1/vision/edit", token, fields);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.StatusCode);
        Assert.Contains("larger than a form may carry", page.Text, StringComparison.Ordinal);
        AssertFriendly(page);
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read_and_answered_with_the_field_message()
    {
        using var client = await factory.SignedInAsync(Demo.Admin);
        var edit = await client.GetAsync("/products/1/vision/edit");
        var (token, fields) = HtmlForms.FormOf(edit, "/products/1/vision/edit");
        fields.Set("Text", new string('x', (int)BodyLimit - 4096));

        var page = await client.PostWithTokenAsync("/products/1/vision/edit", token, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEmpty(page.FieldError("Text"));
    }

    [Fact]
    public async Task Too_many_form_fields_are_refused_with_400_and_the_friendly_page_and_nothing_is_saved()
    {
        using var client = await factory.SignedInAsync(Demo.Admin);
        var edit = await client.GetAsync("/products/1/vision/edit");
        var (token, fields) = HtmlForms.FormOf(edit, "/products/1/vision/edit");
        fields.Set("Text", "A vision that arrives with too many friends");
        fields.AddRange(Enumerable.Range(0, RequestLimitsMiddleware.MaxFormValues + 1).Select(i => new KeyValuePair<string, string>("extra" + i.Invariant(), "x")));
        var before = await DbFingerprint.TakeAsync(factory);

        var page = await client.PostWithTokenAsync("/products/1/vision/edit", token, fields);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        AssertFriendly(page);
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_cut_off_by_the_server_with_413()
    {
        using var kestrel = new KestrelAlignmentHubFactory();
        using var http = new HttpClient { BaseAddress = kestrel.ServerAddress };
        var body = Encoding.UTF8.GetBytes("Email=a%40b.c&Password=" + new string('p', (int)BodyLimit + 10));
        using var content = new StreamContent(new MemoryStream(body)); // no Content-Length: sent chunked
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>Every address of the app with an id in it, each id replaced by a malformed or unknown one.</summary>
    public static TheoryData<string> BadIdValues => new(BadIds);

    [Theory]
    [MemberData(nameof(BadIdValues))]
    public async Task Every_address_with_a_malformed_or_unknown_id_gets_the_friendly_404_or_400_page(string badId)
    {
        using var client = await factory.SignedInAsync(Demo.Admin);
        var token = await client.GetTokenAsync("/");
        var before = await DbFingerprint.TakeAsync(factory);
        var routes = IdRoutes();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes with ids found");
        var failures = new List<string>();

        foreach (var (method, template) in routes)
        {
            var url = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", Uri.EscapeDataString(badId) == badId ? badId : badId);
            var page = method == "GET" ? await client.GetAsync(url) : await client.PostWithTokenAsync(url, token, []);
            if (page.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.BadRequest))
            {
                failures.Add($"{method} {url}: {(int)page.StatusCode}");
                continue;
            }

            if (!page.Text.Contains("couldn't find that page", StringComparison.Ordinal) && !page.Text.Contains("could not be handled", StringComparison.Ordinal))
            {
                failures.Add($"{method} {url}: {(int)page.StatusCode} without the friendly page");
            }

            if (Internals(page) is { } leak)
            {
                failures.Add($"{method} {url}: shows “{leak}”");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }

    /// <summary>(method, template) of each action whose address holds an id, read from the app's own routing table.</summary>
    private List<(string Method, string Template)> IdRoutes()
    {
        var actions = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<ControllerActionDescriptor>();
        return actions
            .Where(a => a.AttributeRouteInfo?.Template is { } t && t.Contains('{', StringComparison.Ordinal) && a.ControllerName is not ("Error" or "Baseline"))
            .SelectMany(a => (a.EndpointMetadata.OfType<HttpMethodAttribute>().SelectMany(m => m.HttpMethods).DefaultIfEmpty("GET"))
                .Select(m => (m, "/" + a.AttributeRouteInfo!.Template!)))
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal)
            .ToList();
    }

    private static void AssertFriendly(Page page)
    {
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("could not be handled", page.Text, StringComparison.Ordinal);
        Assert.Null(Internals(page));
    }

    /// <summary>A trace of the server's insides in a page, or null.</summary>
    private static string? Internals(Page page) =>
        new[] { "Exception", "   at ", "StackTrace", ".cs:line", "Microsoft.AspNetCore", "AlignmentHub.Web.", "SQLite", "Npgsql" }
            .FirstOrDefault(s => page.Html.Contains(s, StringComparison.Ordinal));
}
