using System.Net;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Strategy;

/// <summary>The vision slice: rendered Markdown, versioned edits with history and diff, validation, conflicts, permissions.</summary>
public sealed class VisionTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string VisionUrl = "/products/1/vision";
    private const string EditUrl = "/products/1/vision/edit";

    [Fact]
    public async Task The_vision_page_shows_the_current_version_as_rendered_markdown()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var current = (await factory.VisionVersionsAsync()).Last();
        var heading = current.Text.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("# ", StringComparison.Ordinal))[2..];

        var page = await client.GetAsync(VisionUrl);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(heading, page.Document.QuerySelector(".markdown-body h1")?.TextContent.Trim());
        Assert.DoesNotContain("# " + heading, page.Document.QuerySelector(".markdown-body")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Version {current.Number}", page.Text, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector($"a[href='{EditUrl}']")); // a team member gets no edit button
    }

    [Fact]
    public async Task A_product_manager_saves_a_new_version_that_the_history_and_diff_show()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.VisionVersionsAsync();
        var form = await OpenEditorAsync(client);
        var oldLine = form["Text"].Split('\n').First(l => l.StartsWith("# ", StringComparison.Ordinal));
        var newHeading = Demo.UniqueTitle("Resolved in one place, for every customer");
        var addedLine = Demo.UniqueTitle("- Added line");
        var reason = Demo.UniqueTitle("Sharper headline after customer interviews");
        form["Text"] = form["Text"].Replace(oldLine, "# " + newHeading, StringComparison.Ordinal) + "\n" + addedLine + "\n";
        form["Reason"] = reason;

        var save = await client.PostWithTokenAsync(EditUrl, form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(VisionUrl, save.LocationPath);
        var after = await factory.VisionVersionsAsync();
        Assert.Equal(before.Count + 1, after.Count);
        var saved = after.Last();
        var pmId = await factory.QueryAsync(db => db.Users.Where(u => u.Email == Demo.ProductManager).Select(u => u.Id).SingleAsync());
        Assert.Equal(before.Last().Number + 1, saved.Number);
        Assert.Equal(pmId, saved.AuthorId);
        Assert.Equal(Demo.DisplayName(Demo.ProductManager), saved.AuthorName);
        Assert.Equal(reason, saved.Reason);
        Assert.Contains(addedLine, saved.Text, StringComparison.Ordinal);

        var view = await client.GetAsync(VisionUrl);
        Assert.Equal(newHeading, view.Document.QuerySelector(".markdown-body h1")?.TextContent.Trim());
        Assert.Contains($"Vision saved as version {saved.Number}", view.Text, StringComparison.Ordinal);

        var history = await client.GetAsync(VisionUrl + "/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var rows = history.Document.QuerySelectorAll("ol.version-list > li, tbody > tr").ToList();
        Assert.Equal(after.Count, rows.Count);
        var newest = rows[0].TextContent;
        Assert.Contains($"v{saved.Number}", newest, StringComparison.Ordinal);
        Assert.Contains("current", newest, StringComparison.Ordinal);
        Assert.Contains(Demo.DisplayName(Demo.ProductManager), newest, StringComparison.Ordinal);
        Assert.Contains(reason, newest, StringComparison.Ordinal);
        var compare = rows[0].QuerySelector("a")?.GetAttribute("href");
        Assert.Equal($"{VisionUrl}/diff?from={saved.Number - 1}&to={saved.Number}", compare);

        var diff = await client.GetAsync(compare!);
        Assert.Equal(HttpStatusCode.OK, diff.StatusCode);
        var added = Lines(diff.Document, ".diff-line-added");
        var removed = Lines(diff.Document, ".diff-line-removed");
        Assert.Contains("# " + newHeading, added);
        Assert.Contains(addedLine, added);
        Assert.Contains(oldLine.Trim(), removed);
        Assert.DoesNotContain(removed, l => l.Contains(addedLine, StringComparison.Ordinal));
        Assert.Contains($"+{added.Count} added", diff.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_cannot_smuggle_script_into_the_vision_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var form = await OpenEditorAsync(client);
        form["Text"] = $"""
            # Safe heading {Guid.NewGuid():N}

            [click me](javascript:alert(1))
            [also me](JaVaScRiPt:alert(2))
            <script>alert(3)</script>
            <img src=x onerror=alert(4)>
            "><img src=x onerror=alert(5)>
            [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)
            <a href="javascript:alert(7)">raw link</a>
            [ok](https://example.com/ok)
            """;

        var save = await client.PostWithTokenAsync(EditUrl, form[TestClient.TokenField], Without(form, TestClient.TokenField));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);

        var page = await client.GetAsync(VisionUrl);
        var body = page.Document.QuerySelector(".markdown-body")!;
        Assert.NotNull(body.QuerySelector("h1"));
        Assert.Empty(body.QuerySelectorAll("script, img, iframe, object, embed, svg"));
        Assert.Equal("https://example.com/ok", Assert.Single(body.QuerySelectorAll("a[href]")).GetAttribute("href"));
        Assert.All(page.Document.QuerySelectorAll("*"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.All(page.Document.QuerySelectorAll("[href], [src]"), e => Assert.DoesNotContain("javascript:", (e.GetAttribute("href") ?? e.GetAttribute("src"))!, StringComparison.OrdinalIgnoreCase));
        Assert.All(page.Document.QuerySelectorAll("script"), s => Assert.StartsWith("/", s.GetAttribute("src") ?? "inline script"));
        Assert.DoesNotContain("<script>alert", page.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_empty_text_is_refused_beside_the_field_keeping_the_reason_and_saving_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var count = await factory.VisionVersionCountAsync();
        var form = await OpenEditorAsync(client);
        var reason = Demo.UniqueTitle("Reason typed by the user");
        form["Text"] = "   ";
        form["Reason"] = reason;

        var page = await client.PostWithTokenAsync(EditUrl, form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("Write the vision before saving.", page.FieldError("Text"));
        Assert.Equal(reason, page.InputValue("Reason"));
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Fact]
    public async Task Too_long_a_text_is_refused_beside_the_field_with_the_text_kept()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var count = await factory.VisionVersionCountAsync();
        var form = await OpenEditorAsync(client);
        form["Text"] = "# Long\n" + new string('v', 20_000);
        form["Reason"] = new string('r', 501);

        var page = await client.PostWithTokenAsync(EditUrl, form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("at most 20,000 characters", page.FieldError("Text"), StringComparison.Ordinal);
        Assert.Contains("at most 500 characters", page.FieldError("Reason"), StringComparison.Ordinal);
        Assert.Equal(Normalise(form["Text"]), Normalise(page.InputValue("Text")));
        Assert.Equal(501, page.InputValue("Reason")?.Length);
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Fact]
    public async Task Saving_unchanged_text_is_refused_beside_the_field()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var count = await factory.VisionVersionCountAsync();
        var form = await OpenEditorAsync(client);

        var page = await client.PostWithTokenAsync(EditUrl, form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("unchanged", page.FieldError("Text"), StringComparison.Ordinal);
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Fact]
    public async Task A_stale_save_shows_who_changed_it_keeps_the_typed_text_and_saves_nothing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var pmForm = await OpenEditorAsync(pm);
        var adminForm = await OpenEditorAsync(admin);
        var adminText = adminForm["Text"] + "\n" + Demo.UniqueTitle("Admin's addition");
        adminForm["Text"] = adminText;
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync(EditUrl, adminForm[TestClient.TokenField], Without(adminForm, TestClient.TokenField))).StatusCode);
        var count = await factory.VisionVersionCountAsync();
        var typed = pmForm["Text"] + "\n" + Demo.UniqueTitle("PM's own words");
        pmForm["Text"] = typed;

        var page = await pm.PostWithTokenAsync(EditUrl, pmForm[TestClient.TokenField], Without(pmForm, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var notice = page.Document.QuerySelector(".alert-warning")?.TextContent ?? string.Empty;
        Assert.Contains($"{Demo.DisplayName(Demo.Admin)} changed this", notice, StringComparison.Ordinal);
        Assert.Contains(adminText.Split('\n').Last(), notice, StringComparison.Ordinal);
        Assert.Equal(Normalise(typed), Normalise(page.InputValue("Text")));
        var stored = await factory.VisionVersionsAsync();
        Assert.Equal(count, stored.Count);
        Assert.DoesNotContain(stored, v => v.Text.Contains(typed.Split('\n').Last(), StringComparison.Ordinal));

        // The form now carries the stored version, so saving again on purpose goes through.
        Assert.Equal(stored.Last().Number.ToString(System.Globalization.CultureInfo.InvariantCulture), page.InputValue("BaseVersion"));
        var resave = await pm.PostWithTokenAsync(EditUrl, HtmlForms.Form(page.Document, EditUrl)[TestClient.TokenField], Without(HtmlForms.Form(page.Document, EditUrl), TestClient.TokenField));
        Assert.Equal(HttpStatusCode.Redirect, resave.StatusCode);
        Assert.Equal(Normalise(typed), Normalise((await factory.VisionVersionsAsync()).Last().Text));
    }

    [Theory]
    [InlineData(Demo.Executive)]
    [InlineData(Demo.Member)]
    public async Task Readers_cannot_open_or_post_the_editor(string email)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var count = await factory.VisionVersionCountAsync();
        var current = (await factory.VisionVersionsAsync()).Last().Number;

        var get = await client.GetAsync(EditUrl);
        var post = await client.PostFormAsync(EditUrl, VisionUrl, [new("BaseVersion", current.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Text", "# Rewritten by " + email), new("Reason", "not allowed")]);

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("permission", post.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_rejected_and_saves_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var count = await factory.VisionVersionCountAsync();
        var form = await OpenEditorAsync(client);
        form["Text"] += "\nCSRF attempt";

        var page = await client.PostRawAsync(EditUrl, Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Fact]
    public async Task A_post_with_another_users_antiforgery_token_is_rejected_and_saves_nothing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        using var attacker = await TestClient.SignedInAsync(factory, Demo.Executive);
        var count = await factory.VisionVersionCountAsync();
        var form = await OpenEditorAsync(pm);
        form["Text"] += "\nCSRF attempt with a foreign token";
        var foreignToken = await attacker.GetTokenAsync(VisionUrl);

        var page = await pm.PostWithTokenAsync(EditUrl, foreignToken, Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(count, await factory.VisionVersionCountAsync());
    }

    [Theory]
    [InlineData("/products/999/vision")]
    [InlineData("/products/999/vision/edit")]
    [InlineData("/products/999/vision/history")]
    [InlineData("/products/1/vision/diff?from=1&to=999")]
    [InlineData("/products/1/vision/diff?from=-1&to=2")]
    public async Task Unknown_products_and_versions_answer_404(string url)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);

        var page = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("couldn't find that page", page.Text, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> OpenEditorAsync(TestClient client)
    {
        var page = await client.GetAsync(EditUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return HtmlForms.Form(page.Document, EditUrl);
    }

    private static List<KeyValuePair<string, string>> Without(Dictionary<string, string> form, string field) =>
        form.Where(f => f.Key != field).ToList();

    private static List<string> Lines(IDocument document, string selector) =>
        document.QuerySelectorAll(selector).Select(e => e.TextContent.Replace("Added: ", string.Empty, StringComparison.Ordinal).Replace("Removed: ", string.Empty, StringComparison.Ordinal).Trim()).ToList();

    private static string Normalise(string? text) => (text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
