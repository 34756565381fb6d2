using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.RoadmapItems;

/// <summary>
/// The item page's changes: status, links, dependencies (cycles refused), customer evidence (only http and https links),
/// archive and restore; permissions on every one of them; an audit row for each.
/// </summary>
public sealed class ItemChangeTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    // ------------------------------------------------------------ permissions

    /// <summary>Every change of one item, as (method, path, form fields); {id}, {link}, {dependency}, {evidence}, {version}, {goal}, {blocker} are filled in.</summary>
    private static readonly (string Method, string Path, (string Name, string Value)[] Fields)[] Endpoints =
    [
        ("GET", "/edit", []),
        ("POST", "/edit", [("Title", "Taken over"), ("Kind", "Feature"), ("TeamId", "{team}"), ("Status", "Idea"), ("Horizon", "Now"), ("Version", "{version}")]),
        ("POST", "/edit", [("Title", string.Empty), ("Version", "{version}")]), // invalid input: still 403 / 404, not 422
        ("POST", "/status", [("Status", "Shipped"), ("Version", "{version}")]),
        ("POST", "/links", [("Target", "goal:{goal}")]),
        ("POST", "/links/{link}/remove", []),
        ("POST", "/dependencies", [("BlockerId", "{blocker}")]),
        ("POST", "/dependencies/{dependency}/remove", []),
        ("POST", "/evidence", [("EvidenceText", "Mine now"), ("Importance", "3")]),
        ("POST", "/evidence/{evidence}/remove", []),
        ("GET", "/archive", []),
        ("POST", "/archive", [("Version", "{version}")]),
        ("POST", "/restore", [("Version", "{version}")]),
    ];

    [Theory]
    [InlineData(ItemTestData.Sam, HttpStatusCode.Forbidden)]
    [InlineData(Demo.Executive, HttpStatusCode.Forbidden)]
    [InlineData(Demo.Admin, HttpStatusCode.NotFound)]
    public async Task Members_of_other_teams_and_executives_get_403_and_unknown_items_404_on_every_change_with_nothing_changed(string email, HttpStatusCode expected)
    {
        var (id, link, dependency, evidence, blocker) = await ArrangeFullItemAsync("Onboarding");
        var item = await factory.ItemAsync(id);
        var goal = (await factory.RankedGoalsAsync())[0].Id;
        var target = expected == HttpStatusCode.NotFound ? 999_999 : id;
        using var client = await TestClient.SignedInAsync(factory, email);
        var token = await client.GetTokenAsync("/");
        var before = await factory.RoadmapFingerprintAsync();

        var answers = new List<(string, HttpStatusCode)>();
        foreach (var (method, path, fields) in Endpoints)
        {
            string Fill(string text) => text.Replace("{link}", link.Invariant()).Replace("{dependency}", dependency.Invariant()).Replace("{evidence}", evidence.Invariant())
                .Replace("{version}", item.Version.Invariant()).Replace("{goal}", goal.Invariant()).Replace("{blocker}", blocker.Invariant()).Replace("{team}", item.TeamId.Invariant());
            var url = ItemTestData.ItemUrl(target) + Fill(path);
            var page = method == "GET" ? await client.GetAsync(url) : await client.PostWithTokenAsync(url, token, fields.Select(f => new KeyValuePair<string, string>(f.Name, Fill(f.Value))));
            answers.Add((method + " " + url, page.StatusCode));
        }

        Assert.All(answers, a => Assert.Equal(expected, a.Item2));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Executives_and_members_cannot_create_items_for_teams_they_are_not_in()
    {
        using var executive = await TestClient.SignedInAsync(factory, Demo.Executive);
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var platform = await factory.TeamIdAsync("Platform");
        var before = await factory.RoadmapFingerprintAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await executive.GetAsync(ItemTestData.NewUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await executive.PostWithTokenAsync(ItemTestData.NewUrl, await executive.GetTokenAsync("/"),
            ItemTestData.ValidFields(Demo.UniqueTitle("Exec"), platform))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tom.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl,
            ItemTestData.ValidFields(Demo.UniqueTitle("Not my team"), platform))).StatusCode);
        var form = await tom.GetAsync(ItemTestData.NewUrl);
        Assert.Equal(["Onboarding"], form.Document.QuerySelectorAll("select[name='TeamId'] option").Select(o => o.TextContent.Trim()));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task The_product_manager_may_change_any_team_s_items_of_the_product()
    {
        var id = await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("PM's to change"));
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var (token, fields) = HtmlForms.FormOf(await pm.GetAsync(ItemTestData.ItemUrl(id)), ItemTestData.ItemUrl(id) + "/status");

        var save = await pm.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/status", token, fields.Set("Status", "InProgress"));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(RoadmapItemStatus.InProgress, (await factory.ItemAsync(id)).Status);
        var created = await pm.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, ItemTestData.ValidFields(Demo.UniqueTitle("PM's new"), await factory.TeamIdAsync("Insights")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }

    // ------------------------------------------------------------ status

    [Fact]
    public async Task Changing_the_status_saves_and_audits_it_and_a_stale_page_gets_the_conflict_notice()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Status"));
        var url = ItemTestData.ItemUrl(id);
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        using var jonas = await TestClient.SignedInAsync(factory, ItemTestData.Jonas);
        var (tomToken, tomFields) = HtmlForms.FormOf(await tom.GetAsync(url), url + "/status");
        var (jonasToken, jonasFields) = HtmlForms.FormOf(await jonas.GetAsync(url), url + "/status");
        var lastAudit = await factory.MaxAuditIdAsync();

        var first = await jonas.PostWithTokenAsync(url + "/status", jonasToken, jonasFields.Set("Status", "Shipped"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var shipped = await factory.ItemAsync(id);
        Assert.Equal(RoadmapItemStatus.Shipped, shipped.Status);
        Assert.NotNull(shipped.ShippedAt);
        var entry = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(("RoadmapItem", "Updated", ItemTestData.Jonas), (entry.EntityType, entry.Action, entry.UserName));
        Assert.Contains("Status changed to “Shipped”.", (await jonas.GetAsync(url)).Text, StringComparison.Ordinal);
        var before = await factory.RoadmapFingerprintAsync();

        var stale = await tom.PostWithTokenAsync(url + "/status", tomToken, tomFields.Set("Status", "Dropped"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains($"{Demo.DisplayName(ItemTestData.Jonas)} changed this", stale.Document.QuerySelector(".alert-warning")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Dropped", stale.InputValue("Status"));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    // ------------------------------------------------------------ links

    [Fact]
    public async Task Links_are_added_and_removed_with_audit_rows_duplicates_refused_and_a_second_removal_is_answered_kindly()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Links"));
        var url = ItemTestData.ItemUrl(id);
        var goal = (await factory.RankedGoalsAsync())[1];
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var token = await tom.GetTokenAsync(url);
        var lastAudit = await factory.MaxAuditIdAsync();

        var add = await tom.PostWithTokenAsync(url + "/links", token, [new("Target", $"goal:{goal.Id}")]);

        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var link = Assert.Single((await factory.ItemAsync(id)).Links);
        Assert.Equal((LinkTargetType.Goal, goal.Id, (int?)goal.Id), (link.TargetType, link.TargetId, link.GoalId));
        var page = await tom.GetAsync(url);
        Assert.Contains($"Linked to goal “{goal.Title}”.", page.Text, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("[data-item-orphan]"));
        var before = await factory.RoadmapFingerprintAsync();

        var again = await tom.PostWithTokenAsync(url + "/links", token, [new("Target", $"goal:{goal.Id}")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("already linked", again.FieldError("Target"), StringComparison.Ordinal);
        Assert.Equal($"goal:{goal.Id}", again.InputValue("Target"));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());

        var remove = await tom.PostWithTokenAsync($"{url}/links/{link.Id}/remove", token, []);
        var removeAgain = await tom.PostWithTokenAsync($"{url}/links/{link.Id}/remove", token, []);

        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, removeAgain.StatusCode);
        Assert.Empty((await factory.ItemAsync(id)).Links);
        Assert.Contains("That link had already been removed.", (await tom.GetAsync(url)).Text, StringComparison.Ordinal);
        var audit = await factory.AuditAfterAsync(lastAudit);
        Assert.Equal([("RoadmapLink", "Created"), ("RoadmapLink", "Deleted")], audit.Select(a => (a.EntityType, a.Action)));
        Assert.All(audit, a => Assert.Equal(link.Id.Invariant(), a.EntityId));
    }

    [Theory]
    [InlineData("kr:abc", "Choose a goal, objective or key result from the list.")]
    [InlineData("", "Choose a goal, objective or key result from the list.")]
    [InlineData("objective:999999", "cannot be linked")]
    [InlineData("{retired}", "cannot be linked")]
    [InlineData("{closed}", "cannot be linked")]
    public async Task Links_to_what_is_not_an_active_goal_objective_or_key_result_are_refused_beside_the_picker(string target, string message)
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Bad link"));
        target = target switch
        {
            "{retired}" => "goal:" + (await factory.GoalsAsync()).Single(g => g.Status == GoalStatus.Retired).Id.Invariant(),
            "{closed}" => "objective:" + (await factory.ObjectiveAsync("Launch the new setup wizard")).Id.Invariant(),
            _ => target,
        };
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();

        var page = await tom.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/links", await tom.GetTokenAsync("/"), [new("Target", target)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError("Target"), StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    // ------------------------------------------------------------ dependencies

    [Fact]
    public async Task Blockers_are_found_by_title_or_number_added_shown_both_ways_and_a_cycle_is_refused_with_the_reason()
    {
        var a = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Alpha"));
        var bTitle = Demo.UniqueTitle("Bravo");
        var b = await factory.ArrangeItemAsync("Onboarding", bTitle);
        var c = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Charlie"));
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var lastAudit = await factory.MaxAuditIdAsync();

        // a waits for b: found by part of its title, chosen from the results.
        var search = await tom.GetAsync(ItemTestData.ItemUrl(a) + "?find=" + Uri.EscapeDataString(bTitle[..^3].ToUpperInvariant()));
        Assert.Equal(bTitle, search.Document.QuerySelector(".item-candidates li .fw-semibold")?.TextContent.Trim());
        var (token, fields) = HtmlForms.FormOf(search, ItemTestData.ItemUrl(a) + "/dependencies");
        Assert.Equal(b.Invariant(), fields.Single(f => f.Key == "BlockerId").Value);
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(ItemTestData.ItemUrl(a) + "/dependencies", token, fields)).StatusCode);

        // b waits for c: found by its number.
        var byNumber = await tom.GetAsync(ItemTestData.ItemUrl(b) + "?find=%23" + c.Invariant());
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(ItemTestData.ItemUrl(b) + "/dependencies", token,
            HtmlForms.FormOf(byNumber, ItemTestData.ItemUrl(b) + "/dependencies").Fields)).StatusCode);
        Assert.Equal([b], (await factory.ItemAsync(a)).Dependencies.Select(d => d.BlockerId));
        var bPage = await tom.GetAsync(ItemTestData.ItemUrl(b));
        Assert.Contains(await TitleAsync(a), bPage.Document.QuerySelector("[data-blocks]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(await TitleAsync(c), bPage.Document.QuerySelector("[data-blocked-by]")!.TextContent, StringComparison.Ordinal);
        var audit = await factory.AuditAfterAsync(lastAudit);
        Assert.Equal(2, audit.Count(e => e.EntityType == "ItemDependency" && e.Action == "Created" && e.UserName == ItemTestData.Tom));
        var before = await factory.RoadmapFingerprintAsync();

        // c waiting for a would close the circle c → a → b → c.
        var cycle = await tom.PostWithTokenAsync(ItemTestData.ItemUrl(c) + "/dependencies", token, [new("BlockerId", a.Invariant()), new("find", "Alpha")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, cycle.StatusCode);
        Assert.Equal($"\"{await TitleAsync(a)}\" already depends on this item, directly or indirectly: the dependency would make a cycle.", cycle.FieldError("BlockerId"));
        Assert.Equal("Alpha", cycle.InputValue("find"));
        Assert.Equal("true", cycle.Document.QuerySelector("#find")!.GetAttribute("aria-invalid"));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("{self}", "An item cannot depend on itself.")]
    [InlineData("{existing}", "This dependency already exists.")]
    [InlineData("{archived}", "is archived")]
    [InlineData("999999", "There is no such item on this product's roadmap.")]
    [InlineData("", "Find the item this one waits for, then choose it.")]
    [InlineData("abc", "Find the item this one waits for, then choose it.")]
    public async Task Impossible_dependencies_are_refused_beside_the_search(string blocker, string message)
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Dependent"));
        var existing = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Existing blocker"));
        var archived = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Archived blocker"));
        await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Dependencies).SingleAsync(i => i.Id == id);
            item.DependOn(await db.RoadmapItems.SingleAsync(i => i.Id == existing), _ => []);
            (await db.RoadmapItems.SingleAsync(i => i.Id == archived)).Archive(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        blocker = blocker.Replace("{self}", id.Invariant()).Replace("{existing}", existing.Invariant()).Replace("{archived}", archived.Invariant());
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();

        var page = await tom.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/dependencies", await tom.GetTokenAsync("/"), [new("BlockerId", blocker)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError("BlockerId"), StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Removing_a_dependency_is_audited_and_removing_it_again_is_answered_kindly()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Unblocked"));
        var blocker = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Former blocker"));
        var dependency = await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Dependencies).SingleAsync(i => i.Id == id);
            var d = item.DependOn(await db.RoadmapItems.SingleAsync(i => i.Id == blocker), _ => []);
            await db.SaveChangesAsync();
            return d.Id;
        });
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var url = $"{ItemTestData.ItemUrl(id)}/dependencies/{dependency}/remove";
        var token = await tom.GetTokenAsync("/");
        var lastAudit = await factory.MaxAuditIdAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(url, token, [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(url, token, [])).StatusCode);

        Assert.Empty((await factory.ItemAsync(id)).Dependencies);
        Assert.Contains("That dependency had already been removed.", (await tom.GetAsync(ItemTestData.ItemUrl(id))).Text, StringComparison.Ordinal);
        var entry = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(("ItemDependency", "Deleted", dependency.Invariant()), (entry.EntityType, entry.Action, entry.EntityId));
    }

    // ------------------------------------------------------------ customer evidence

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("ftp://files.example.com/notes.txt")]
    [InlineData("//evil.test/ticket")]
    [InlineData("not a link")]
    public async Task Evidence_links_other_than_http_and_https_are_refused_with_the_text_kept_and_nothing_saved(string link)
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Evidence"));
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();

        var page = await tom.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/evidence", await tom.GetTokenAsync("/"),
            [new("EvidenceText", "Acme asked for this on the QBR call."), new("EvidenceLink", link), new("Importance", "3")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("must be an http or https address", page.FieldError("EvidenceLink"), StringComparison.Ordinal);
        Assert.Equal("Acme asked for this on the QBR call.", page.InputValue("EvidenceText"));
        Assert.Equal(link, page.InputValue("EvidenceLink"));
        Assert.Equal("3", page.InputValue("Importance"));
        Assert.DoesNotContain(page.Document.QuerySelectorAll("a[href]"), a => !a.GetAttribute("href")!.StartsWith('/') && !a.GetAttribute("href")!.StartsWith('#'));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("   ", "2", "EvidenceText", "Say what the customer asked for")]
    [InlineData("Fine", "7", "Importance", "Choose how important this is")]
    [InlineData("Fine", "high", "Importance", "Choose how important this is")]
    public async Task Evidence_needs_a_text_and_an_importance_of_1_to_3(string text, string importance, string field, string message)
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Evidence fields"));
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();

        var page = await tom.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/evidence", await tom.GetTokenAsync("/"),
            [new("EvidenceText", text), new("EvidenceLink", string.Empty), new("Importance", importance)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError(field), StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Evidence_is_added_shown_with_its_importance_in_words_removed_and_audited()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Evidence kept"));
        var url = ItemTestData.ItemUrl(id);
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var (token, fields) = HtmlForms.FormOf(await tom.GetAsync(url), url + "/evidence");
        var lastAudit = await factory.MaxAuditIdAsync();

        var add = await tom.PostWithTokenAsync(url + "/evidence", token,
            fields.Set("EvidenceText", "<b>Acme</b> will churn without it").Set("EvidenceLink", "https://support.example.com/tickets/42").Set("Importance", "3"));

        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var evidence = Assert.Single((await factory.ItemAsync(id)).Evidence);
        Assert.Equal(("<b>Acme</b> will churn without it", "https://support.example.com/tickets/42", 3), (evidence.Text, evidence.Link, evidence.Importance));
        var page = await tom.GetAsync(url);
        var row = page.Document.QuerySelector(".item-evidence-list li")!;
        Assert.Equal("Critical", row.QuerySelector(".item-importance")!.TextContent.Trim());
        Assert.Contains("<b>Acme</b> will churn without it", row.TextContent, StringComparison.Ordinal); // shown as text, not markup
        Assert.Null(row.QuerySelector("b"));
        var anchor = row.QuerySelector("a[href^='https:']")!;
        Assert.Equal("https://support.example.com/tickets/42", anchor.GetAttribute("href"));
        Assert.Contains("noopener", anchor.GetAttribute("rel"), StringComparison.Ordinal);

        var remove = await tom.PostWithTokenAsync($"{url}/evidence/{evidence.Id}/remove", token, []);
        var again = await tom.PostWithTokenAsync($"{url}/evidence/{evidence.Id}/remove", token, []);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (remove.StatusCode, again.StatusCode));
        Assert.Empty((await factory.ItemAsync(id)).Evidence);
        Assert.Contains("That evidence had already been removed.", (await tom.GetAsync(url)).Text, StringComparison.Ordinal);
        var audit = await factory.AuditAfterAsync(lastAudit);
        Assert.Equal([("CustomerEvidence", "Created"), ("CustomerEvidence", "Deleted")], audit.Select(a => (a.EntityType, a.Action)));
        Assert.All(audit, a => Assert.Equal(ItemTestData.Tom, a.UserName));
    }

    // ------------------------------------------------------------ archive and restore

    [Fact]
    public async Task Archiving_after_confirmation_takes_the_item_out_of_alignment_and_restoring_brings_it_back()
    {
        var objective = await factory.ObjectiveAsync("Make the first week effortless");
        var kr = objective.KeyResults.Single(k => k.Title == "Setup wizard completion rate");
        var goal = (await factory.GoalsAsync()).Single(g => g.Id == objective.GoalId);
        var title = Demo.UniqueTitle("To archive");
        var id = await factory.ArrangeItemAsync("Onboarding", title, (LinkTargetType.KeyResult, kr.Id));
        var url = ItemTestData.ItemUrl(id);
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        Assert.Contains(title, await GoalItemsAsync(tom, goal.Id));
        Assert.Contains(title, await KeyResultItemsAsync(tom, objective.Id, kr.Id));
        var lastAudit = await factory.MaxAuditIdAsync();

        var confirm = await tom.GetAsync(url + "/archive");

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains($"Archive “{title}”?", confirm.Document.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(kr.Title, confirm.Document.QuerySelector("[data-why-chain]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(lastAudit, await factory.MaxAuditIdAsync()); // asking changes nothing
        var (token, fields) = HtmlForms.FormOf(confirm, url + "/archive");

        var archive = await tom.PostWithTokenAsync(url + "/archive", token, fields);

        Assert.Equal(HttpStatusCode.Redirect, archive.StatusCode);
        Assert.NotNull((await factory.ItemAsync(id)).ArchivedAt);
        var page = await tom.GetAsync(url);
        Assert.NotNull(page.Document.QuerySelector("[data-item-archived]"));
        Assert.Null(page.Document.QuerySelector("[data-item-orphan]")); // archived items do not count, so they are no orphans either
        Assert.Equal([url + "/restore"], page.Document.QuerySelectorAll("form[method='post']").Select(f => f.GetAttribute("action")).Where(a => a!.StartsWith(url, StringComparison.Ordinal)));
        Assert.DoesNotContain(title, await GoalItemsAsync(tom, goal.Id));
        Assert.DoesNotContain(title, await KeyResultItemsAsync(tom, objective.Id, kr.Id));
        var archived = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(("RoadmapItem", "Updated", id.Invariant()), (archived.EntityType, archived.Action, archived.EntityId));
        Assert.Contains("ArchivedAt", archived.Changes, StringComparison.Ordinal);

        // Archived: nothing else can change until it is restored.
        var refused = await tom.PostWithTokenAsync(url + "/evidence", token, [new("EvidenceText", "Late"), new("Importance", "1")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("This item is archived, so it cannot be changed. Restore it first.", refused.Text, StringComparison.Ordinal);

        var (restoreToken, restoreFields) = HtmlForms.FormOf(page, url + "/restore");
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(url + "/restore", restoreToken, restoreFields)).StatusCode);
        Assert.Null((await factory.ItemAsync(id)).ArchivedAt);
        Assert.Contains(title, await GoalItemsAsync(tom, goal.Id));
        Assert.Contains(title, await KeyResultItemsAsync(tom, objective.Id, kr.Id));
        Assert.Equal(2, (await factory.AuditAfterAsync(lastAudit)).Count);
    }

    [Fact]
    public async Task Archiving_from_a_stale_page_shows_the_conflict_and_archives_nothing()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Archive race"));
        var url = ItemTestData.ItemUrl(id);
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var (token, fields) = HtmlForms.FormOf(await tom.GetAsync(url + "/archive"), url + "/archive");
        var (statusToken, statusFields) = HtmlForms.FormOf(await tom.GetAsync(url), url + "/status");
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(url + "/status", statusToken, statusFields.Set("Status", "InProgress"))).StatusCode);
        var before = await factory.RoadmapFingerprintAsync();

        var stale = await tom.PostWithTokenAsync(url + "/archive", token, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains("while you were editing", stale.Document.QuerySelector(".alert-warning")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("In progress", stale.Document.QuerySelector(".alert-warning")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    // ------------------------------------------------------------ helpers

    private async Task<(int Id, int Link, int Dependency, int Evidence, int Blocker)> ArrangeFullItemAsync(string team)
    {
        var blocker = await factory.ArrangeItemAsync(team, Demo.UniqueTitle("Blocker"));
        var other = await factory.ArrangeItemAsync(team, Demo.UniqueTitle("Second blocker"));
        var goal = (await factory.RankedGoalsAsync())[1].Id;
        var id = await factory.ArrangeItemAsync(team, Demo.UniqueTitle("Guarded"), (LinkTargetType.Goal, goal));
        return await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Links).Include(i => i.Dependencies).SingleAsync(i => i.Id == id);
            var dependency = item.DependOn(await db.RoadmapItems.SingleAsync(i => i.Id == blocker), _ => []);
            var evidence = item.AddEvidence("Asked for it", null, 2, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return (id, item.Links.Single().Id, dependency.Id, evidence.Id, other);
        });
    }

    private Task<string> TitleAsync(int id) => factory.QueryAsync(db => db.RoadmapItems.Where(i => i.Id == id).Select(i => i.Title).SingleAsync());

    private static async Task<List<string>> GoalItemsAsync(TestClient client, int goalId) =>
        (await client.GetAsync($"/products/1/goals/{goalId}")).Document.QuerySelectorAll("[data-goal-items] li > a").Select(a => a.TextContent.Trim()).ToList();

    private static async Task<List<string>> KeyResultItemsAsync(TestClient client, int objectiveId, int keyResultId) =>
        (await client.GetAsync($"/okrs/objectives/{objectiveId}")).Document.QuerySelectorAll($"[data-kr-items='{keyResultId}'] li > a").Select(a => a.TextContent.Trim()).ToList();
}
