using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static AlignmentHub.IntegrationTests.Alignment.AlignmentTestData;

namespace AlignmentHub.IntegrationTests.Alignment;

/// <summary>
/// The orphan queue's bulk re-link: what is linked and audited, the flash message, all-or-nothing permissions, and bad
/// input that leaves everything as it was and shows the page again with the ticks kept.
/// </summary>
public sealed class RelinkTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string Url = "/alignment/relink";

    [Fact]
    public async Task A_product_manager_links_two_orphans_to_a_key_result_in_one_save_with_an_audit_row_per_link()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var first = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Orphan one"), 5);
        var second = await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("Orphan two"), 3);
        var alreadyLinked = await factory.ItemIdAsync("Rate limiting per API token"); // the demo links it to "Monthly uptime"
        var page = await client.GetAsync("/alignment");
        Assert.Contains(first, CheckboxIds(page));
        Assert.Contains(second, CheckboxIds(page));
        var lastAudit = await factory.MaxAuditIdAsync();

        var post = await PostAsync(client, page, [first, second, alreadyLinked], $"kr:{kr}");

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal($"/alignment?product={Demo.ProductId}", post.Location);
        Assert.True(await factory.HasLinkAsync(first, LinkTargetType.KeyResult, kr));
        Assert.True(await factory.HasLinkAsync(second, LinkTargetType.KeyResult, kr));
        Assert.Equal(1, await factory.QueryAsync(db => db.RoadmapLinks.CountAsync(l => l.RoadmapItemId == alreadyLinked && l.TargetId == kr && l.TargetType == LinkTargetType.KeyResult)));

        // One audit row per new link, by the product manager, and nothing else.
        var audit = await factory.AuditAfterAsync(lastAudit);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal(("RoadmapLink", "Created", Demo.ProductManager), (a.EntityType, a.Action, a.UserName)));
        var audited = audit.Select(a =>
        {
            using var changes = JsonDocument.Parse(a.Changes);
            return (changes.RootElement.GetProperty("RoadmapItemId").GetInt32(), changes.RootElement.GetProperty("TargetId").GetInt32());
        }).Order().ToList();
        Assert.Equal(new[] { (first, kr), (second, kr) }.Order(), audited);
        Assert.Single(audit.Select(a => a.CorrelationId).Distinct());

        var after = await client.GetAsync(post.Location!);
        Assert.Equal("Linked 2 items to key result “Monthly uptime”. 1 was already linked.", TextOf(after.Document.QuerySelector("[role='status']")));
        Assert.DoesNotContain(first, OrphanRows(after).Select(r => r.Id));
        Assert.DoesNotContain(second, OrphanRows(after).Select(r => r.Id));
    }

    [Fact]
    public async Task Link_all_shown_links_every_row_the_team_member_may_edit_and_keeps_the_team_filter()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var own = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Own orphan"), 2);
        var goal = await factory.ActiveGoalIdAsync(2);
        var page = await client.GetAsync($"/alignment?team={onboarding}");
        var shown = CheckboxIds(page);
        Assert.Contains(own, shown);

        // Exactly what a browser without JavaScript submits: the form's own fields (its token, the shown rows), no tick.
        var form = page.Document.QuerySelector($"form[action='{Url}']")!;
        var fields = HtmlForms.FieldsOf(form).Select(f => f.Key == "Target" ? new("Target", $"goal:{goal}") : f).Append(new("All", "true")).ToList();
        Assert.Contains(fields, f => f.Key == TestClient.TokenField);
        Assert.DoesNotContain(fields, f => f.Key == "ItemIds");
        var post = await client.PostRawAsync(Url, fields);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal($"/alignment?product={Demo.ProductId}&team={onboarding}", post.Location);
        foreach (var id in shown)
        {
            Assert.True(await factory.HasLinkAsync(id, LinkTargetType.Goal, goal));
        }

        var after = await client.GetAsync(post.Location!);
        Assert.Equal($"Linked {shown.Count} items to goal “New customers see value within 7 days”.", TextOf(after.Document.QuerySelector("[role='status']")));
        Assert.Empty(OrphanRows(after));
        Assert.Contains("No orphans in Onboarding", after.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        // case, field with the message, start of the message
        { "no item", "ItemIds", "Tick at least one item to link." },
        { "no target", "Target", "Choose the goal, objective or key result to link the items to." },
        { "garbage target", "Target", "Choose a goal, objective or key result from the list." },
        { "unknown target", "Target", "Choose a goal, objective or key result from the list: this one does not serve an active goal of Beacon" },
        { "retired goal", "Target", "Choose a goal, objective or key result from the list: this one does not serve an active goal of Beacon" },
        { "key result under a retired goal", "Target", "Choose a goal, objective or key result from the list: this one does not serve an active goal of Beacon" },
        { "another product's goal", "Target", "Choose a goal, objective or key result from the list: this one does not serve an active goal of Beacon" },
        { "another product's item", "ItemIds", "One of the ticked items is not on Beacon’s roadmap (any more)." },
        { "nonexistent item", "ItemIds", "One of the ticked items is not on Beacon’s roadmap (any more)." },
        { "item id not a number", "ItemIds", "“abc” is not a valid value here." },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_shows_the_page_again_with_the_message_and_the_ticks_kept_and_changes_nothing(string kind, string field, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var orphan = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Bad input orphan"), 4);
        var kr = await factory.KeyResultIdAsync("P95 API latency");
        var retired = await factory.RetiredGoalIdAsync();
        var other = await factory.ArrangeOtherProductAsync();
        var underRetired = kind == "key result under a retired goal"
            ? (await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Serves a retired goal"), retired, Kr(Demo.UniqueTitle("KR under a retired goal")))).KeyResultIds[0]
            : 0;
        var (items, target) = kind switch
        {
            "no item" => (Array.Empty<string>(), $"kr:{kr}"),
            "no target" => ([orphan.Invariant()], ""),
            "garbage target" => ([orphan.Invariant()], "kr:abc"),
            "unknown target" => ([orphan.Invariant()], "kr:99999999"),
            "retired goal" => ([orphan.Invariant()], $"goal:{retired}"),
            "key result under a retired goal" => ([orphan.Invariant()], $"kr:{underRetired}"),
            "another product's goal" => ([orphan.Invariant()], $"goal:{other.GoalId}"),
            "another product's item" => ([orphan.Invariant(), other.ItemId.Invariant()], $"kr:{kr}"),
            "nonexistent item" => ([orphan.Invariant(), "99999999"], $"kr:{kr}"),
            "item id not a number" => ([orphan.Invariant(), "abc"], $"kr:{kr}"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var page = await client.GetAsync("/alignment");
        var before = await factory.RoadmapFingerprintAsync();

        var post = await PostRawFieldsAsync(client, page, items, target);

        Assert.Equal((HttpStatusCode)422, post.StatusCode);
        Assert.StartsWith(message, post.FieldError(field), StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
        Assert.Null(post.Document.QuerySelector("[role='status']"));

        // The page is shown again with what the user chose: the ticked orphan stays ticked, the target stays selected.
        var box = post.Document.QuerySelector<IHtmlInputElement>($"input[name='ItemIds'][value='{orphan}']")!;
        Assert.Equal(items.Contains(orphan.Invariant()), box.IsChecked);
        var select = post.Document.QuerySelector<IHtmlSelectElement>("select[name='Target']")!;
        var offered = select.Options.Select(o => o.Value).ToList();
        Assert.Equal(offered.Contains(target) ? target : "", select.Value);
        Assert.Equal(field == "Target" ? "true" : null, select.GetAttribute("aria-invalid"));
        Assert.DoesNotContain($"goal:{retired}", offered); // the picker never offers what cannot be chosen
        Assert.NotEmpty(OrphanRows(post));
    }

    [Fact]
    public async Task A_team_member_cannot_link_another_team_s_item_and_with_one_refused_item_nothing_is_linked()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var own = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Member's own orphan"), 2);
        var foreign = await factory.ItemIdAsync("Upgrade to PostgreSQL 17"); // Platform's
        var kr = await factory.KeyResultIdAsync("Setup wizard completion rate");
        var page = await client.GetAsync("/alignment");
        Assert.Contains(own, CheckboxIds(page));
        Assert.DoesNotContain(foreign, CheckboxIds(page));
        var before = await factory.RoadmapFingerprintAsync();

        var onlyForeign = await PostRawFieldsAsync(client, page, [foreign.Invariant()], $"kr:{kr}");
        var mixed = await PostRawFieldsAsync(client, page, [own.Invariant(), foreign.Invariant()], $"kr:{kr}");
        var viaAll = await client.PostWithTokenAsync(Url, Token(page),
            [new("ProductId", Demo.ProductId.Invariant()), new("All", "true"), new("ShownIds", own.Invariant()), new("ShownIds", foreign.Invariant()), new("Target", $"kr:{kr}")]);

        Assert.Equal(HttpStatusCode.Forbidden, onlyForeign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viaAll.StatusCode);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
        Assert.False(await factory.HasLinkAsync(own, LinkTargetType.KeyResult, kr));

        // The same member may link the own item alone.
        var allowed = await PostRawFieldsAsync(client, page, [own.Invariant()], $"kr:{kr}");
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.True(await factory.HasLinkAsync(own, LinkTargetType.KeyResult, kr));
    }

    [Fact]
    public async Task An_executive_gets_403_whatever_is_posted_and_nothing_changes()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var page = await client.GetAsync("/alignment");
        var orphan = OrphanRows(page)[0].Id;
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var before = await factory.RoadmapFingerprintAsync();

        var valid = await PostRawFieldsAsync(client, page, [orphan.Invariant()], $"kr:{kr}");
        var empty = await PostRawFieldsAsync(client, page, [], "");

        Assert.Equal(HttpStatusCode.Forbidden, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, empty.StatusCode);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task A_re_link_without_the_antiforgery_token_is_refused()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var orphan = await factory.ArrangeItemAsync("Insights", Demo.UniqueTitle("CSRF orphan"), 1);
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var before = await factory.RoadmapFingerprintAsync();

        var post = await client.PostRawAsync(Url, [new("ProductId", Demo.ProductId.Invariant()), new("ItemIds", orphan.Invariant()), new("Target", $"kr:{kr}")]);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("0")]
    public async Task A_re_link_on_an_unknown_product_answers_404(string productId)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var page = await client.GetAsync("/alignment");
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var before = await factory.RoadmapFingerprintAsync();

        var post = await client.PostWithTokenAsync(Url, Token(page), [new("ProductId", productId), new("ItemIds", OrphanRows(page)[0].Id.Invariant()), new("Target", $"kr:{kr}")]);

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Over_posted_fields_change_nothing_but_the_links()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var orphan = await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("Over-posted orphan"), 2);
        var kr = await factory.KeyResultIdAsync("Net revenue retention");
        var page = await client.GetAsync("/alignment");
        var before = await factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().SingleAsync(i => i.Id == orphan));

        var post = await client.PostWithTokenAsync(Url, Token(page),
        [
            new("ProductId", Demo.ProductId.Invariant()), new("ItemIds", orphan.Invariant()), new("Target", $"kr:{kr}"),
            new("Id", "1"), new("TeamId", "1"), new("Title", "Hacked"), new("Status", "5"), new("ProductId ", "2"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var after = await factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().SingleAsync(i => i.Id == orphan));
        Assert.Equal((before.Title, before.TeamId, before.Status, before.ProductId, before.Version), (after.Title, after.TeamId, after.Status, after.ProductId, after.Version));
        Assert.True(await factory.HasLinkAsync(orphan, LinkTargetType.KeyResult, kr));
    }

    [Fact]
    public async Task When_the_save_fails_half_way_no_link_and_no_audit_row_is_kept()
    {
        // Fail the audit insert that follows the links' insert: both belong to one transaction.
        var failing = new FailingAuditInsert();
        using var broken = factory.WithDbContextInterceptor(failing);
        using var client = await TestClient.SignedInAsync(broken, Demo.ProductManager);
        var first = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Atomic one"), 2);
        var second = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Atomic two"), 2);
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var page = await client.GetAsync("/alignment");
        var before = await factory.RoadmapFingerprintAsync();

        failing.Armed = true;
        var post = await PostAsync(client, page, [first, second], $"kr:{kr}");
        failing.Armed = false;

        Assert.Equal((HttpStatusCode)422, post.StatusCode);
        Assert.Contains("The links could not be saved", post.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
        Assert.Contains(first, OrphanRows(post).Select(r => r.Id));
        Assert.True(post.Document.QuerySelector<IHtmlInputElement>($"input[name='ItemIds'][value='{first}']")!.IsChecked);
    }

    private sealed class FailingAuditInsert : DbCommandInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            Armed && command.CommandText.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException("Injected failure")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Armed && command.CommandText.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException("Injected failure")
                : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private static string Token(Page page) =>
        page.Document.QuerySelector<IHtmlInputElement>($"input[name='{TestClient.TokenField}']")!.Value;

    /// <summary>Posts the page's re-link form as a browser would, with these items ticked and this target chosen.</summary>
    private static Task<Page> PostAsync(TestClient client, Page page, IEnumerable<int> itemIds, string target) =>
        PostRawFieldsAsync(client, page, itemIds.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), target);

    private static Task<Page> PostRawFieldsAsync(TestClient client, Page page, string[] itemIds, string target)
    {
        var fields = new List<KeyValuePair<string, string>> { new("ProductId", Demo.ProductId.Invariant()), new("Team", ""), new("Page", "1"), new("Target", target) };
        fields.AddRange(itemIds.Select(id => new KeyValuePair<string, string>("ItemIds", id)));
        return client.PostWithTokenAsync(Url, Token(page), fields);
    }
}
