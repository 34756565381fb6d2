using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.RoadmapItems;

/// <summary>Creating and editing a roadmap item: with and without a why, every field's bad input, over-posting, edit conflicts.</summary>
public sealed class ItemFormTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task Creating_an_item_with_a_why_links_it_audits_it_and_its_page_shows_the_chain()
    {
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var kr = await factory.KeyResultAsync("Guided import from Zendesk launched");
        var jonas = await factory.UserIdAsync(ItemTestData.Jonas);
        var title = Demo.UniqueTitle("Import macros from Zendesk");
        var form = await client.GetAsync(ItemTestData.NewUrl);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.NotNull(form.Document.QuerySelector($"select[name='Why'] option[value='kr:{kr.Id}']"));
        var lastAudit = await factory.MaxAuditIdAsync();

        var save = await client.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, ItemTestData.ValidFields(title, onboarding)
            .Set("Why", $"kr:{kr.Id}").Set("OwnerId", jonas).Set("TargetPeriodKey", Demo.CurrentPeriodKey).Set("Horizon", "Now").Set("RiceImpact", "0.5")
            .Set("ExternalKey", "BCN-999"));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var item = await factory.ItemByTitleAsync(title);
        Assert.NotNull(item);
        Assert.Equal(ItemTestData.ItemUrl(item.Id), save.LocationPath);
        Assert.Equal(Demo.ProductId, item.ProductId);
        Assert.Equal(onboarding, item.TeamId);
        Assert.Equal(jonas, item.OwnerId);
        Assert.Equal(RoadmapItemStatus.Planned, item.Status);
        Assert.Equal(RoadmapHorizon.Now, item.Horizon);
        Assert.Equal(Demo.CurrentPeriodKey, item.TargetPeriodKey);
        Assert.Equal(5m, item.Effort);
        Assert.Equal(900, item.RiceReach);
        Assert.Equal(0.5m, item.RiceImpact);
        Assert.Equal(80, item.RiceConfidence);
        Assert.Equal("BCN-999", item.ExternalKey);
        var link = Assert.Single(item.Links);
        Assert.Equal((LinkTargetType.KeyResult, kr.Id), (link.TargetType, link.TargetId));

        var audit = await factory.AuditAfterAsync(lastAudit);
        Assert.Contains(audit, a => a.EntityType == "RoadmapItem" && a.Action == "Created" && a.EntityId == item.Id.Invariant());
        Assert.Contains(audit, a => a.EntityType == "RoadmapLink" && a.Action == "Created" && a.EntityId == link.Id.Invariant());
        Assert.All(audit, a => Assert.Equal(ItemTestData.Tom, a.UserName));
        using (var created = JsonDocument.Parse(audit.Single(a => a.EntityType == "RoadmapLink").Changes))
        {
            Assert.Equal(item.Id, created.RootElement.GetProperty("RoadmapItemId").GetInt32()); // the real key, not a temporary one
        }

        var page = await client.GetAsync(ItemTestData.ItemUrl(item.Id));
        Assert.Contains($"“{title}” added to the roadmap.", page.Text, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("[data-item-orphan]"));
        var chain = TestText.Normalise(page.Document.QuerySelector("[data-why-chain='active']")!.TextContent);
        Assert.Contains("Guided import from Zendesk launched", chain, StringComparison.Ordinal);
        Assert.Contains("RICE = reach × impact × confidence ÷ effort = 900 × 0.5 × 80 % ÷ 5 pts = 72.", TestText.Normalise(page.Text), StringComparison.Ordinal);
        Assert.Equal("72", page.Document.QuerySelector("[data-rice-score]")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_item_created_without_a_why_is_an_orphan_and_its_page_says_so_and_offers_to_link_it()
    {
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var title = Demo.UniqueTitle("Dark mode for the inbox");

        var save = await client.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, ItemTestData.ValidFields(title, await factory.TeamIdAsync("Onboarding")));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var item = (await factory.ItemByTitleAsync(title))!;
        Assert.Empty(item.Links);
        var page = await client.GetAsync(save.Location!);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var orphan = page.Document.QuerySelector("[data-item-orphan]");
        Assert.NotNull(orphan);
        Assert.Contains("Orphan: this item serves no active goal.", orphan.TextContent, StringComparison.Ordinal);
        Assert.Equal("#add-link", orphan.QuerySelector("a")?.GetAttribute("href"));
        var linkForm = page.Document.QuerySelector("form#add-link");
        Assert.NotNull(linkForm);
        Assert.Equal(ItemTestData.ItemUrl(item.Id) + "/links", linkForm.GetAttribute("action"));
        Assert.NotEmpty(linkForm.QuerySelectorAll("select[name='Target'] option[value^='goal:']"));
        Assert.Contains("It has no why yet", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_new_item_form_starts_with_the_team_and_why_from_the_address()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var platform = await factory.TeamIdAsync("Platform");
        var goal = (await factory.RankedGoalsAsync())[2];

        var page = await client.GetAsync($"{ItemTestData.NewUrl}?product=1&team={platform}&why=goal:{goal.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(platform.Invariant(), page.InputValue("TeamId"));
        Assert.Equal($"goal:{goal.Id}", page.InputValue("Why"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{ItemTestData.NewUrl}?product=999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{ItemTestData.NewUrl}?product=abc")).StatusCode);
    }

    public static TheoryData<string, string, string, bool> BadInput => new()
    {
        // field, value, message (part), is the value kept as typed in a text field?
        { "Title", string.Empty, "Give the item a title.", true },
        { "Title", "   ", "Give the item a title.", false },
        { "Title", new string('t', 201), "at most 200 characters", true },
        { "Title", "bell\u0007 in the title", "not allowed", true },
        { "Description", new string('d', 4001), "at most 4,000 characters", true },
        { "Kind", "99", "Choose a kind from the list.", false },
        { "Kind", "Epic", "Choose a kind from the list.", false },
        { "TeamId", string.Empty, "Choose a team.", false },
        { "TeamId", "abc", "Choose a team from the list.", false },
        { "TeamId", "999999", "Choose a team from the list.", false },
        { "OwnerId", "not-a-user", "Choose an owner who is a member of the item's team.", false },
        { "OwnerId", "{sam}", "Choose an owner who is a member of the item's team.", false },
        { "Status", string.Empty, "Choose a status.", false },
        { "Status", "0", "Choose a status from the list.", false },
        { "Horizon", string.Empty, "Choose a horizon", false },
        { "Horizon", "Someday", "Choose a horizon from the list.", false },
        { "TargetPeriodKey", "2027-Q5", "YYYY-Qn", false },
        { "TargetPeriodKey", "next spring", "YYYY-Qn", false },
        { "StartDate", "2027-02-30", "Enter a date", true },
        { "EndDate", "1999-12-31", "Enter a date between the years 2000 and 2100.", true },
        { "Effort", "0", "Effort must be above 0 and at most 10,000 pts.", true },
        { "Effort", "-3", "Effort must be above 0", true },
        { "Effort", "10001", "Effort must be above 0", true },
        { "Effort", "0.001", "at most two decimals", true },
        { "Effort", "lots", "Enter the effort as a number of points", true },
        { "Effort", "1e309", "Enter the effort as a number of points", true },
        { "RiceReach", "-1", "Reach must be a whole number", true },
        { "RiceReach", "2147483648", "Enter reach as a whole number", true },
        { "RiceImpact", "0.7", "Impact must be 0.25, 0.5, 1, 2 or 3.", false },
        { "RiceImpact", "huge", "Impact must be 0.25, 0.5, 1, 2 or 3.", false },
        { "RiceConfidence", "101", "Confidence must be a whole number from 0 to 100 %.", true },
        { "RiceConfidence", "50.5", "Confidence must be a whole number", true },
        { "ExternalKey", new string('k', 51), "at most 50 characters", true },
        { "Why", "goal:abc", "Choose a goal, objective or key result from the list", false },
        { "Why", "kr:999999", "cannot be linked", false },
        { "Why", "{retired}", "cannot be linked", false },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_in_any_field_is_refused_beside_it_with_the_input_kept_and_nothing_saved(string field, string value, string message, bool keptAsTyped)
    {
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();
        var title = Demo.UniqueTitle("Kept title");
        value = value switch
        {
            "{sam}" => await factory.UserIdAsync(ItemTestData.Sam),
            "{retired}" => "goal:" + (await factory.GoalsAsync()).Single(g => g.Status == GoalStatus.Retired).Id.Invariant(),
            _ => value,
        };
        var fields = ItemTestData.ValidFields(title, await factory.TeamIdAsync("Onboarding")).Set("Description", "Kept description").Set(field, value);

        var page = await client.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError(field), StringComparison.Ordinal);
        if (field != "Title")
        {
            Assert.Equal(title, page.InputValue("Title"));
        }

        if (field != "Description")
        {
            Assert.Equal("Kept description", page.InputValue("Description"));
        }

        if (field != "RiceReach")
        {
            Assert.Equal("900", page.InputValue("RiceReach"));
        }

        if (keptAsTyped)
        {
            Assert.Equal(value, page.InputValue(field));
        }

        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("2027-03-01", "2027-03-31", "{current}", "TargetPeriodKey", "Give a target quarter or start and end dates, not both.")]
    [InlineData("2027-03-01", "2027-02-01", "", "EndDate", "The end date must not be before the start date.")]
    [InlineData("2027-03-01", "", "", "EndDate", "Give an end date too, or clear the start date.")]
    [InlineData("", "2027-03-31", "", "StartDate", "Give a start date too, or clear the end date.")]
    public async Task Schedules_that_contradict_themselves_are_refused(string start, string end, string quarter, string field, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var before = await factory.RoadmapFingerprintAsync();
        var fields = ItemTestData.ValidFields(Demo.UniqueTitle("Scheduled"), await factory.TeamIdAsync("Onboarding"))
            .Set("StartDate", start).Set("EndDate", end).Set("TargetPeriodKey", quarter == "{current}" ? Demo.CurrentPeriodKey : quarter);

        var page = await client.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal(message, page.FieldError(field));
        Assert.Equal(start, page.InputValue("StartDate"));
        Assert.Equal(end, page.InputValue("EndDate"));
        Assert.Equal(before, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Protected_fields_posted_with_the_form_are_ignored()
    {
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var title = Demo.UniqueTitle("Over-posted");
        var fields = ItemTestData.ValidFields(title, await factory.TeamIdAsync("Onboarding"));
        fields.AddRange([new("ProductId", "999"), new("Id", "1"), new("Version", "77"), new("ArchivedAt", "2020-01-01"), new("ShippedAt", "2020-01-01"),
            new("BoardPosition", "-5"), new("CreatedAt", "2001-01-01")]);

        var save = await client.PostFormAsync(ItemTestData.NewUrl + "?product=1", ItemTestData.NewUrl, fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var item = (await factory.ItemByTitleAsync(title))!;
        Assert.NotEqual(1, item.Id);
        Assert.Equal(Demo.ProductId, item.ProductId);
        Assert.NotEqual(77, item.Version);
        Assert.Null(item.ArchivedAt);
        Assert.Null(item.ShippedAt);
        Assert.True(item.BoardPosition > 0);
        Assert.True(item.CreatedAt > DateTimeOffset.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task Editing_saves_every_field_and_writes_one_audit_row_with_before_and_after()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("To edit"));
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        var (token, fields) = HtmlForms.FormOf(await client.GetAsync(ItemTestData.ItemUrl(id) + "/edit"), ItemTestData.ItemUrl(id) + "/edit");
        var title = Demo.UniqueTitle("Edited");
        var tom = await factory.UserIdAsync(ItemTestData.Tom);
        fields.Set("Title", title).Set("Description", "New description").Set("Kind", "Initiative").Set("OwnerId", tom).Set("Status", "InProgress")
            .Set("Horizon", "Later").Set("TargetPeriodKey", string.Empty).Set("StartDate", "2027-04-01").Set("EndDate", "2027-06-30")
            .Set("Effort", "8").Set("RiceReach", "1200").Set("RiceImpact", "3").Set("RiceConfidence", "50").Set("ExternalKey", "BCN-7");
        var before = await factory.ItemAsync(id);
        var lastAudit = await factory.MaxAuditIdAsync();

        var save = await client.PostWithTokenAsync(ItemTestData.ItemUrl(id) + "/edit", token, fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var item = await factory.ItemAsync(id);
        Assert.Equal((title, "New description", RoadmapItemKind.Initiative, tom, RoadmapItemStatus.InProgress, RoadmapHorizon.Later),
            (item.Title, item.Description, item.Kind, item.OwnerId, item.Status, item.Horizon));
        Assert.Equal((null, new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30)), (item.TargetPeriodKey, item.StartDate, item.EndDate));
        Assert.Equal((8m, 1200, 3m, 50, "BCN-7"), (item.Effort, item.RiceReach, item.RiceImpact, item.RiceConfidence, item.ExternalKey));
        Assert.Equal(before.Version + 1, item.Version);
        var entry = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(("RoadmapItem", "Updated", id.Invariant(), ItemTestData.Tom), (entry.EntityType, entry.Action, entry.EntityId, entry.UserName));
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal(before.Title, changes.RootElement.GetProperty("Title").GetProperty("before").GetString());
        Assert.Equal(title, changes.RootElement.GetProperty("Title").GetProperty("after").GetString());
    }

    [Fact]
    public async Task A_stale_edit_shows_the_conflict_keeps_the_input_and_overwrites_nothing_until_saved_again()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Contested"));
        var url = ItemTestData.ItemUrl(id) + "/edit";
        using var tom = await TestClient.SignedInAsync(factory, ItemTestData.Tom);
        using var jonas = await TestClient.SignedInAsync(factory, ItemTestData.Jonas);
        var (tomToken, tomFields) = HtmlForms.FormOf(await tom.GetAsync(url), url);
        var (jonasToken, jonasFields) = HtmlForms.FormOf(await jonas.GetAsync(url), url);
        var theirs = Demo.UniqueTitle("Jonas's title");
        Assert.Equal(HttpStatusCode.Redirect, (await jonas.PostWithTokenAsync(url, jonasToken, jonasFields.Set("Title", theirs).Set("Effort", "13"))).StatusCode);
        var afterJonas = await factory.RoadmapFingerprintAsync();
        var mine = Demo.UniqueTitle("Tom's title");

        var conflict = await tom.PostWithTokenAsync(url, tomToken, tomFields.Set("Title", mine).Set("Effort", "2"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
        var notice = conflict.Document.QuerySelector(".alert-warning")!.TextContent;
        Assert.Contains($"{Demo.DisplayName(ItemTestData.Jonas)} changed this", notice, StringComparison.Ordinal);
        Assert.Contains(theirs, notice, StringComparison.Ordinal);
        Assert.Contains("13 pts", notice, StringComparison.Ordinal);
        Assert.Equal(mine, conflict.InputValue("Title"));
        Assert.Equal("2", conflict.InputValue("Effort"));
        Assert.Equal(afterJonas, await factory.RoadmapFingerprintAsync());
        Assert.Equal(theirs, (await factory.ItemAsync(id)).Title);

        // The form now carries the stored version: saving again is a deliberate overwrite.
        var (againToken, againFields) = HtmlForms.FormOf(conflict, url);
        Assert.Equal(HttpStatusCode.Redirect, (await tom.PostWithTokenAsync(url, againToken, againFields)).StatusCode);
        Assert.Equal((mine, 2m), ((await factory.ItemAsync(id)).Title, (await factory.ItemAsync(id)).Effort));
    }
}
