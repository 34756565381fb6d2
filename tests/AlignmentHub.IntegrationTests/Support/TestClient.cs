using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>A response with its body parsed as HTML.</summary>
public sealed record Page(HttpResponseMessage Response, string Html, IHtmlDocument Document)
{
    public HttpStatusCode StatusCode => Response.StatusCode;

    /// <summary>The redirect target as the server sent it ("/" or an absolute URL), or null.</summary>
    public string? Location => Response.Headers.Location?.OriginalString;

    /// <summary>The path of the redirect target, whether the server sent an absolute or a relative URL.</summary>
    public string? LocationPath => Response.Headers.Location is not { } location
        ? null
        : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];

    /// <summary>The message shown beside a field (the <c>_FieldError</c> partial or the tag helper), or "".</summary>
    public string FieldError(string field) =>
        Document.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim() ?? string.Empty;

    /// <summary>The value a form input holds (input value, textarea text or selected option).</summary>
    public string? InputValue(string name) => HtmlForms.ValueOf(Document, name);

    public string Text => Document.Body?.TextContent ?? string.Empty;
}

/// <summary>
/// A browser-like client of the app under test: cookies kept, redirects not followed (so tests see every 302),
/// antiforgery tokens read from the real forms.
/// </summary>
public sealed class TestClient : IDisposable
{
    public const string TokenField = "__RequestVerificationToken";

    private static readonly HtmlParser Parser = new();

    /// <summary>A client of <paramref name="factory"/>: an <see cref="AlignmentHubFactory"/>, or one derived from it with <c>WithWebHostBuilder</c>.</summary>
    public TestClient(WebApplicationFactory<Program> factory)
        : this(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }))
    {
    }

    public TestClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    /// <summary>The cookies the last successful sign-in set (name → value), for replay tests.</summary>
    public IReadOnlyDictionary<string, string> SignInCookies { get; private set; } = new Dictionary<string, string>();

    public static async Task<TestClient> SignedInAsync(WebApplicationFactory<Program> factory, string email)
    {
        var client = new TestClient(factory);
        var response = await client.SignInAsync(email);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}, not 302.");
        }

        return client;
    }

    /// <summary>GET /account/login, then POST the form with a fresh antiforgery token.</summary>
    public async Task<Page> SignInAsync(string email, string? password = null, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password ?? AlignmentHubFactory.DemoPassword,
        };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        var page = await PostFormAsync("/account/login", "/account/login", fields);
        if (page.StatusCode == HttpStatusCode.Redirect && page.Response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            SignInCookies = setCookies
                .Select(c => c.Split(';')[0])
                .Where(c => c.StartsWith("AlignmentHub.Auth", StringComparison.Ordinal))
                .Select(c => c.Split('=', 2))
                .ToDictionary(p => p[0], p => p[1]);
        }

        return page;
    }

    public async Task<Page> GetAsync(string url)
    {
        var response = await Http.GetAsync(url);
        return await ToPageAsync(response);
    }

    public async Task<IHtmlDocument> GetDocumentAsync(string url) => (await GetAsync(url)).Document;

    /// <summary>Reads the antiforgery token of the first form on <paramref name="formUrl"/> (every signed-in page has the sign-out form).</summary>
    public async Task<string> GetTokenAsync(string formUrl)
    {
        var page = await GetAsync(formUrl);
        var token = page.Document.QuerySelector<IHtmlInputElement>($"input[name='{TokenField}']")?.Value;
        return token ?? throw new InvalidOperationException($"No antiforgery token on {formUrl} (status {(int)page.StatusCode}).");
    }

    /// <summary>GETs <paramref name="formUrl"/> for a fresh antiforgery token, then POSTs <paramref name="fields"/> with it.</summary>
    public async Task<Page> PostFormAsync(string url, string formUrl, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await GetTokenAsync(formUrl);
        return await PostWithTokenAsync(url, token, fields);
    }

    public Task<Page> PostWithTokenAsync(string url, string? token, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var all = fields.ToList();
        if (token is not null)
        {
            all.Add(new(TokenField, token));
        }

        return PostRawAsync(url, all);
    }

    /// <summary>POSTs exactly these fields (no token added).</summary>
    public async Task<Page> PostRawAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        var response = await Http.PostAsync(url, content);
        return await ToPageAsync(response);
    }

    public void Dispose() => Http.Dispose();

    public static async Task<Page> ToPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        return new Page(response, html, document);
    }
}

public static class HtmlForms
{
    /// <summary>The fields a browser would submit from <paramref name="form"/>, in document order.</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                    {
                        fields.Add(new(name, box.Value));
                    }

                    break;
                case IHtmlInputElement { Type: "submit" or "button" }:
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.SelectedOptions.FirstOrDefault()?.Value ?? string.Empty));
                    break;
            }
        }

        return fields;
    }

    /// <summary>The fields of the form that posts to <paramref name="action"/> (the first form with a CSRF token when null).</summary>
    public static Dictionary<string, string> Form(IDocument document, string? action = null)
    {
        var form = document.QuerySelectorAll("form")
            .FirstOrDefault(f => action is null
                ? f.QuerySelector($"input[name='{TestClient.TokenField}']") is not null && !(f.GetAttribute("action") ?? string.Empty).Contains("logout", StringComparison.OrdinalIgnoreCase)
                : string.Equals(f.GetAttribute("action"), action, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"No form posting to {action ?? "(any)"}.");
        var fields = new Dictionary<string, string>();
        foreach (var (name, value) in FieldsOf(form))
        {
            fields.TryAdd(name, value);
        }

        return fields;
    }

    /// <summary>The fields of the form posting to <paramref name="action"/> on <paramref name="page"/>, and apart from them its antiforgery token.</summary>
    public static (string Token, List<KeyValuePair<string, string>> Fields) FormOf(Page page, string action)
    {
        var form = Form(page.Document, action);
        return (form[TestClient.TokenField], form.Where(f => f.Key != TestClient.TokenField).ToList());
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> where the field is, or adds it at the end.</summary>
    public static List<KeyValuePair<string, string>> Set(this List<KeyValuePair<string, string>> fields, string name, string value)
    {
        var index = fields.FindIndex(f => f.Key == name);
        if (index < 0)
        {
            fields.Add(new(name, value));
        }
        else
        {
            fields[index] = new(name, value);
        }

        return fields;
    }

    public static string? ValueOf(IDocument document, string name) =>
        document.QuerySelector($"[name='{name}']") switch
        {
            IHtmlInputElement input => input.Value,
            IHtmlTextAreaElement area => area.Value,
            IHtmlSelectElement select => select.SelectedOptions.FirstOrDefault()?.Value,
            _ => null,
        };
}
