using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.RoadmapViews.RoadmapData;
using static AlignmentHub.IntegrationTests.Support.TestText;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>The Now / Next / Later board on the demo data, as each role sees it. No test of this class changes data.</summary>
public sealed class BoardTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_board_shows_the_open_items_in_three_columns_in_board_order()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);

        var page = await client.GetAsync("/roadmap");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(["Now", "Next", "Later"], page.Document.QuerySelectorAll("section[data-column] h2").Select(h => h.TextContent.Trim()));
        foreach (var horizon in new[] { RoadmapHorizon.Now, RoadmapHorizon.Next, RoadmapHorizon.Later })
        {
            var expected = Column(items, horizon);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(i => i.Title), CardTitles(page, horizon));

            // The header counts every open item of the column and adds up its effort.
            var meta = Normalise(ColumnOf(page, horizon).QuerySelector(".board-column-meta")!.TextContent);
            Assert.Equal($"{expected.Count} items · {expected.Sum(i => i.Effort ?? 0m).ToString("#,0.##", CultureInfo.InvariantCulture)} pts", meta);
        }

        // Nothing dropped or shipped by default.
        Assert.DoesNotContain("Legacy wizard clean-up", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Setup checklist in the inbox", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_card_shows_its_team_status_effort_rice_and_links_to_the_item_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var item = await ItemAsync(factory, "Guided Zendesk import");

        var page = await client.GetAsync("/roadmap");

        var card = Card(page, item.Id);
        Assert.Equal($"/roadmap/items/{item.Id}", card.QuerySelector(".board-card-title a")!.GetAttribute("href"));
        Assert.Equal("Onboarding", card.QuerySelector(".board-card-team")!.TextContent.Trim());
        Assert.Equal("In progress", card.QuerySelector(".roadmap-status")!.TextContent.Trim());
        var figures = Normalise(card.QuerySelector(".board-card-figures")!.TextContent);
        Assert.Equal("Effort: 8 pts RICE 270", figures); // 900 × 3 × 80 % ÷ 8
        Assert.Equal(270m, item.RiceScore);
    }

    [Fact]
    public async Task Orphan_badges_mark_exactly_the_items_that_serve_no_active_goal()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var items = await ItemsAsync(factory);
        var graph = await GraphAsync(factory);

        var page = await client.GetAsync("/roadmap?team=all");

        var badged = page.Document.QuerySelectorAll("[data-card]").Where(c => c.QuerySelector("[data-flag='orphan']") is not null)
            .Select(c => c.QuerySelector(".board-card-title a")!.TextContent.Trim()).Order().ToList();
        var openOrphans = items.Where(i => IsOpen(i) && DemoOrphans.Contains(i.Title)).Select(i => i.Title).Order().ToList();
        Assert.Equal(DemoOrphans.Order(), openOrphans); // every demo orphan is open, so every one is on the board
        Assert.Equal(openOrphans, badged);

        // The same set as the alignment rules say (graph), restricted to what the board shows.
        Assert.Equal(graph.Orphans().Select(o => o.Id).Where(id => IsOpen(items.Single(i => i.Id == id))).Order(),
            items.Where(i => badged.Contains(i.Title)).Select(i => i.Id).Order());
        Assert.Contains("not linked to an active goal", page.Document.QuerySelector("[data-flag='orphan']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_that_depends_on_an_open_item_says_it_is_blocked_and_one_whose_blocker_shipped_does_not()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var blocked = await ItemAsync(factory, "Sample data workspace for trials");
        var free = await ItemAsync(factory, "In-app onboarding tours"); // depends on a shipped item

        var page = await client.GetAsync("/roadmap?team=all");

        Assert.Equal("Blocked by “Guided Zendesk import”", Card(page, blocked.Id).QuerySelector("[data-flag='blocked']")!.TextContent.Trim());
        Assert.Null(Card(page, free.Id).QuerySelector("[data-flag='blocked']"));
        var caseStudies = await ItemAsync(factory, "Case studies in German");
        Assert.Equal("Blocked by “German and French localisation”", Card(page, caseStudies.Id).QuerySelector("[data-flag='blocked']")!.TextContent.Trim());
    }

    [Fact]
    public async Task Only_a_blocker_planned_later_than_its_card_is_flagged_red()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var dependencies = await factory.QueryAsync(db => db.ItemDependencies.AsNoTracking().Select(d => new { d.RoadmapItemId, d.BlockerId }).ToListAsync());
        var late = AlignmentConflicts.Schedule(
                items.Select(i => new ItemSchedule(i.Id, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, IsOpen(i))),
                dependencies.Select(d => (d.RoadmapItemId, d.BlockerId)))
            .Select(c => c.ItemId).ToHashSet();
        Assert.NotEmpty(late); // the demo's dependency in the wrong order

        var page = await client.GetAsync("/roadmap?team=all");

        var flags = page.Document.QuerySelectorAll("[data-flag='blocked']").ToList();
        Assert.True(flags.Count > late.Count, "The demo has ordinary blockers too.");
        foreach (var flag in flags)
        {
            var id = int.Parse(flag.Closest("[data-card]")!.GetAttribute("data-item-id")!, CultureInfo.InvariantCulture);
            Assert.Equal(late.Contains(id), flag.GetAttribute("data-late") == "true");
            Assert.Equal(late.Contains(id), flag.ClassList.Contains("roadmap-flag-blocked-late"));
            Assert.Equal(late.Contains(id), flag.TextContent.Contains("planned later", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Shipped_items_appear_only_when_asked_for()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var shipped = items.Where(i => i.Status == RoadmapItemStatus.Shipped).ToList();
        Assert.NotEmpty(shipped);

        var without = await client.GetAsync("/roadmap?team=all");
        var with = await client.GetAsync("/roadmap?team=all&shipped=true");

        Assert.All(shipped, s => Assert.DoesNotContain(s.Title, without.Text, StringComparison.Ordinal));
        foreach (var s in shipped)
        {
            Assert.Equal("Shipped", Card(with, s.Id).QuerySelector(".roadmap-status")!.TextContent.Trim());
        }

        var now = items.Where(i => i.ArchivedAt is null && i.Status != RoadmapItemStatus.Dropped && i.Horizon == RoadmapHorizon.Now)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Title);
        Assert.Equal(now, CardTitles(with, RoadmapHorizon.Now));
        Assert.True(with.Document.QuerySelector("#board-shipped")!.HasAttribute("checked"));
        Assert.False(without.Document.QuerySelector("#board-shipped")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task The_team_filter_shows_one_team_and_its_totals()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var platform = await factory.TeamIdAsync("Platform");
        var items = (await ItemsAsync(factory)).Where(i => i.TeamId == platform).ToList();

        var page = await client.GetAsync($"/roadmap?team={platform}");

        foreach (var horizon in new[] { RoadmapHorizon.Now, RoadmapHorizon.Next, RoadmapHorizon.Later })
        {
            var expected = Column(items, horizon);
            Assert.Equal(expected.Select(i => i.Title), CardTitles(page, horizon));
            Assert.StartsWith($"{expected.Count} item", Normalise(ColumnOf(page, horizon).QuerySelector(".board-column-meta")!.TextContent), StringComparison.Ordinal);
        }

        Assert.All(page.Document.QuerySelectorAll(".board-card-team"), t => Assert.Equal("Platform", t.TextContent.Trim()));
        Assert.Equal(platform.ToString(CultureInfo.InvariantCulture), page.InputValue("team"));
    }

    [Fact]
    public async Task A_team_member_starts_on_their_own_team_with_all_teams_one_click_away()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var items = await ItemsAsync(factory);

        var mine = await client.GetAsync("/roadmap");

        Assert.All(mine.Document.QuerySelectorAll(".board-card-team"), t => Assert.Equal("Onboarding", t.TextContent.Trim()));
        Assert.Equal(Column(items.Where(i => i.TeamId == onboarding), RoadmapHorizon.Now).Select(i => i.Title), CardTitles(mine, RoadmapHorizon.Now));
        var hint = mine.Document.QuerySelector(".roadmap-hint")!;
        Assert.Contains("Showing your team, Onboarding.", hint.TextContent, StringComparison.Ordinal);
        var allUrl = hint.QuerySelector("a")!.GetAttribute("href")!;
        Assert.Contains("team=all", allUrl, StringComparison.Ordinal);

        var all = await client.GetAsync(allUrl);
        Assert.Equal(Column(items, RoadmapHorizon.Now).Select(i => i.Title), CardTitles(all, RoadmapHorizon.Now));
        Assert.Null(all.Document.QuerySelector(".roadmap-hint a[href*='team=all']"));
        Assert.Equal("all", all.InputValue("team"));
    }

    [Fact]
    public async Task Move_controls_appear_only_on_cards_the_user_may_change()
    {
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var teams = await TeamNamesAsync(factory);

        using (var exec = await TestClient.SignedInAsync(factory, Demo.Executive))
        {
            var page = await exec.GetAsync("/roadmap");
            Assert.NotEmpty(page.Document.QuerySelectorAll("[data-card]"));
            Assert.Empty(page.Document.QuerySelectorAll("[data-card][data-can-move='true'], [data-card] details, [data-card] form"));
            Assert.Empty(page.Document.QuerySelectorAll(".board-how"));
            Assert.DoesNotContain("Drop a card here", page.Html, StringComparison.Ordinal);
        }

        using (var member = await TestClient.SignedInAsync(factory, Demo.Member))
        {
            var page = await member.GetAsync("/roadmap?team=all");
            var cards = page.Document.QuerySelectorAll("[data-card]").ToList();
            Assert.All(cards, c => Assert.Equal(
                c.QuerySelector(".board-card-team")!.TextContent.Trim() == teams[onboarding],
                c.GetAttribute("data-can-move") == "true" && c.QuerySelector("form[data-move-form]") is not null));
        }

        using (var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager))
        {
            var page = await pm.GetAsync("/roadmap");
            Assert.All(page.Document.QuerySelectorAll("[data-card]"), c => Assert.Equal(2, c.QuerySelectorAll("form[data-move-form]").Length));
        }
    }

    [Fact]
    public async Task The_move_forms_post_the_version_the_board_and_the_neighbours()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var now = Column(items, RoadmapHorizon.Now);

        var page = await client.GetAsync("/roadmap?team=all");

        var second = Card(page, now[1].Id);
        var moveTo = HtmlForms.FieldsOf(second.QuerySelector("form.board-move-to")!);
        Assert.Contains(new KeyValuePair<string, string>("Version", now[1].Version.ToString(CultureInfo.InvariantCulture)), moveTo);
        Assert.Contains(new KeyValuePair<string, string>("returnQuery", "product=1&team=all"), moveTo);
        Assert.Equal(["Next", "Later"], second.QuerySelectorAll("select[name='Horizon'] option").Select(o => o.GetAttribute("value")));

        var order = second.QuerySelector("form.board-move-order")!;
        var buttons = order.QuerySelectorAll("button[name='BeforeItemId']").ToList();
        Assert.Equal(now[0].Id.ToString(CultureInfo.InvariantCulture), buttons[0].GetAttribute("value")); // up: before the card above
        Assert.Equal(now[3].Id.ToString(CultureInfo.InvariantCulture), buttons[1].GetAttribute("value")); // down: before the one after next
        Assert.True(Card(page, now[0].Id).QuerySelector("form.board-move-order button")!.HasAttribute("disabled"));

        // The last card moves down to the end of the column; its "down" is disabled, the second to last posts an empty value.
        var last = Card(page, now[^1].Id).QuerySelectorAll("form.board-move-order button").ToList();
        Assert.True(last[1].HasAttribute("disabled"));
        var secondToLast = Card(page, now[^2].Id).QuerySelectorAll("form.board-move-order button").ToList();
        Assert.False(secondToLast[1].HasAttribute("disabled"));
        Assert.Null(secondToLast[1].GetAttribute("value"));
    }

    [Theory]
    [InlineData("product=abc", "There is no product “abc”")]
    [InlineData("product=99999", "There is no product “99999”")]
    [InlineData("team=999999", "There is no team “999999”")]
    [InlineData("team=%3Cscript%3E", "There is no team “<script>”")]
    [InlineData("team=-4&shipped=maybe", "There is no team “-4”")]
    public async Task Unknown_filter_values_are_ignored_with_a_notice(string query, string notice)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);

        var page = await client.GetAsync("/roadmap?" + query);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(notice, Notices(page), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page.Html, StringComparison.Ordinal);
        Assert.Equal(Column(items, RoadmapHorizon.Next).Select(i => i.Title), CardTitles(page, RoadmapHorizon.Next));
    }

    [Fact]
    public async Task The_board_loads_its_script_from_a_file_and_labels_its_drop_zones()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);

        var page = await client.GetAsync("/roadmap");

        Assert.NotNull(page.Document.QuerySelector("script[src^='/js/roadmap-board.js']"));
        Assert.Empty(page.Document.QuerySelectorAll("script:not([src])"));
        Assert.Empty(page.Document.QuerySelectorAll("[onclick], [ondrop], [ondragstart]"));
        var zones = page.Document.QuerySelectorAll("ol[data-drop-zone]").Select(z => z.GetAttribute("aria-label")!).ToList();
        Assert.Equal(3, zones.Count);
        Assert.Matches(@"^Now: \d+ items\. Drop a card here to move it to Now$", zones[0]);
        var live = page.Document.QuerySelector("#board-live")!;
        Assert.Equal("polite", live.GetAttribute("aria-live"));
        Assert.Equal("/roadmap/items/new?product=1", page.Document.QuerySelector(".page-actions a")!.GetAttribute("href"));
    }
}
