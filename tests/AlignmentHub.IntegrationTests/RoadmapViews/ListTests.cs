using AngleSharp.Dom;
using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.RoadmapViews.RoadmapData;
using static AlignmentHub.IntegrationTests.Support.TestText;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>
/// The filterable, sortable, paged list on the demo data (60 items: two pages). Expected rows are computed here from
/// the database and the alignment graph, never read back from the page. Only the archive test changes data, and every
/// other test reads the state it expects at the time.
/// </summary>
public sealed class ListTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task By_default_every_item_not_archived_is_listed_in_board_order_fifty_to_a_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var expected = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null)
            .OrderBy(i => i.Horizon).ThenBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Id).ToList();
        Assert.True(expected.Count > 50);

        var first = await client.GetAsync("/roadmap/list");
        var second = await client.GetAsync("/roadmap/list?page=2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(expected.Take(50), ListIds(first));
        Assert.Equal(expected.Skip(50), ListIds(second));
        Assert.StartsWith($"{expected.Count} items · showing 1–50, page 1 of 2", Normalise(first.Document.QuerySelector("#list-count")!.TextContent), StringComparison.Ordinal);
        Assert.StartsWith($"{expected.Count} items · showing 51–{expected.Count}, page 2 of 2", Normalise(second.Document.QuerySelector("#list-count")!.TextContent), StringComparison.Ordinal);

        // Page links: the current page marked, the others link with the same filters.
        var pages = first.Document.QuerySelector("nav[aria-label='Pages of the list']")!;
        Assert.Equal("1", pages.QuerySelector("[aria-current='page']")!.TextContent.Trim());
        Assert.Equal("/roadmap/list?product=1&page=2", pages.QuerySelector("a[rel='next']")!.GetAttribute("href"));
        Assert.Null(second.Document.QuerySelector("a[rel='next']"));
        Assert.Equal("/roadmap/list?product=1", second.Document.QuerySelector("a[rel='prev']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Each_row_has_its_title_link_team_status_horizon_target_effort_rice_and_why()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var item = await ItemAsync(factory, "Guided Zendesk import");
        var links = await factory.QueryAsync(db => db.RoadmapLinks.CountAsync(l => l.RoadmapItemId == item.Id));

        var page = await client.GetAsync("/roadmap/list?team=" + item.TeamId);

        var row = page.Document.QuerySelector($"tr[data-item-id='{item.Id}']")!;
        Assert.Equal($"/roadmap/items/{item.Id}", row.QuerySelector("th a")!.GetAttribute("href"));
        var cells = row.QuerySelectorAll("td").Select(td => Normalise(td.TextContent)).ToList();
        Assert.Equal(["Onboarding", "In progress", "Now", item.TargetPeriodKey!, "8 pts", "270", $"{links} links"], cells);
        Assert.Equal(2, links);
    }

    [Theory]
    [InlineData("Onboarding")]
    [InlineData("Platform")]
    [InlineData("Growth")]
    [InlineData("Insights")]
    public async Task The_team_filter_lists_that_teams_items(string team)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var teamId = await factory.TeamIdAsync(team);
        var expected = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null && i.TeamId == teamId).Select(i => i.Id).Order().ToList();

        var page = await client.GetAsync($"/roadmap/list?team={teamId}");

        Assert.Equal(expected, ListIds(page).Order());
        Assert.Equal(teamId.ToString(CultureInfo.InvariantCulture), page.InputValue("team"));
    }

    [Fact]
    public async Task The_goal_filter_lists_the_items_that_reach_each_active_goal_as_the_alignment_graph_says()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var items = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null).ToList();
        var graph = await GraphAsync(factory);
        var goals = (await factory.RankedGoalsAsync()).ToList();
        Assert.Equal(5, goals.Count);

        foreach (var goal in goals)
        {
            var expected = items.Where(i => graph.GoalsReachedBy(i.Id).Contains(goal.Id)).Select(i => i.Id).Order().ToList();
            var page = await client.GetAsync($"/roadmap/list?goal={goal.Id}");
            Assert.NotEmpty(expected);
            Assert.Equal(expected, ListIds(page).Order());
            Assert.Equal(goal.Id.ToString(CultureInfo.InvariantCulture), page.InputValue("goal"));
        }

        // By hand for goal 1 (net revenue retention): a direct goal link, a key result of Growth's objective, and an item
        // of Insights whose objective reaches the goal only through its parent objective; the import serves goal 2.
        var first = ListTitles(await client.GetAsync($"/roadmap/list?goal={goals[0].Id}"));
        Assert.Contains("Account expansion playbooks", first);
        Assert.Contains("Seat-based upgrade prompts", first);
        Assert.Contains("ROI report for support leads", first);
        Assert.DoesNotContain("Guided Zendesk import", first);
        Assert.DoesNotContain("Marketplace listing pages", first);
    }

    [Theory]
    [InlineData("Idea")]
    [InlineData("Planned")]
    [InlineData("InProgress")]
    [InlineData("Shipped")]
    [InlineData("Dropped")]
    [InlineData("inprogress")]
    [InlineData("open")]
    [InlineData("notdropped")]
    public async Task The_status_filter_lists_items_with_that_status(string status)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        Func<RoadmapItem, bool> matches = status switch
        {
            "open" => i => i.Status is not (RoadmapItemStatus.Shipped or RoadmapItemStatus.Dropped),
            "notdropped" => i => i.Status != RoadmapItemStatus.Dropped,
            _ => i => i.Status == Enum.Parse<RoadmapItemStatus>(status, ignoreCase: true),
        };
        var expected = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null).Where(matches).Select(i => i.Id).Order().ToList();

        var ids = await AllPagesAsync(client, $"/roadmap/list?status={status}");

        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids.Order());
    }

    [Theory]
    [InlineData(RoadmapHorizon.Now)]
    [InlineData(RoadmapHorizon.Next)]
    [InlineData(RoadmapHorizon.Later)]
    public async Task The_horizon_filter_lists_that_horizon_in_board_order(RoadmapHorizon horizon)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var expected = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null && i.Horizon == horizon)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Id).ToList();

        var page = await client.GetAsync($"/roadmap/list?horizon={horizon}");

        Assert.Equal(expected, ListIds(page));
        Assert.Equal(horizon.ToString(), page.InputValue("horizon"));
    }

    [Fact]
    public async Task Orphans_only_lists_exactly_the_items_that_serve_no_active_goal()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var graph = await GraphAsync(factory);
        var items = await ItemsAsync(factory);

        var page = await client.GetAsync("/roadmap/list?orphans=true");

        var titles = ListTitles(page);
        var expected = items.Where(i => i.ArchivedAt is null && DemoOrphans.Contains(i.Title)).Select(i => i.Title).Order().ToList();
        Assert.Equal(expected, titles.Order());
        Assert.Equal(graph.Orphans().Select(o => o.Id).Where(id => items.Single(i => i.Id == id).ArchivedAt is null).Order(), ListIds(page).Order());
        Assert.All(page.Document.QuerySelectorAll("td[data-why]"), td => Assert.Equal("Orphan", td.TextContent.Trim()));
        Assert.DoesNotContain("Legacy wizard clean-up", titles); // no links, but dropped: not an orphan
        Assert.True(page.Document.QuerySelector<IHtmlInputElement>("#list-orphans")!.IsChecked);
    }

    [Fact]
    public async Task Filters_combine_and_the_form_keeps_their_values()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var growth = await factory.TeamIdAsync("Growth");
        var expected = (await ItemsAsync(factory))
            .Where(i => i.ArchivedAt is null && i.TeamId == growth && i.Horizon == RoadmapHorizon.Now && i.Status == RoadmapItemStatus.Planned)
            .OrderByDescending(i => i.Effort).ThenBy(i => i.Id).Select(i => i.Id).ToList();

        var page = await client.GetAsync($"/roadmap/list?team={growth}&horizon=Now&status=Planned&sort=effort&dir=desc");

        Assert.NotEmpty(expected);
        Assert.Equal(expected, ListIds(page));
        Assert.Equal("Planned", page.InputValue("status"));
        Assert.Equal("Now", page.InputValue("horizon"));
        Assert.Equal("effort", page.InputValue("sort"));
        Assert.Equal("desc", page.InputValue("dir"));
        Assert.NotNull(page.Document.QuerySelector("a[href='/roadmap/list?product=1&sort=effort']")); // clear filters, keep the order
    }

    [Theory]
    [InlineData("rice", "desc")]
    [InlineData("rice", "asc")]
    [InlineData("effort", "desc")]
    [InlineData("effort", "asc")]
    [InlineData("title", "asc")]
    [InlineData("title", "desc")]
    [InlineData("target", "asc")]
    [InlineData("target", "desc")]
    public async Task The_list_sorts_by_each_column_both_ways_across_pages(string sort, string dir)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null).ToList();
        var desc = dir == "desc";

        // Unknown values always last, ties by id.
        IOrderedEnumerable<RoadmapItem> Order<T>(Func<RoadmapItem, T?> key)
            where T : struct
        {
            var known = items.OrderBy(i => key(i) is null);
            return (desc ? known.ThenByDescending(key) : known.ThenBy(key)).ThenBy(i => i.Id);
        }

        // Titles sort alphabetically, ignoring case, as people read them (the list sorts its in-memory snapshot).
        var titles = items.Select(i => i.Title).Distinct().Order(StringComparer.CurrentCultureIgnoreCase).ToList();
        var titleRank = items.ToDictionary(i => i.Title, i => titles.IndexOf(i.Title));

        static string? TargetKey(RoadmapItem i) => i.StartDate is { } s ? $"{s.Year}-Q{((s.Month - 1) / 3) + 1}" : i.TargetPeriodKey;
        var expected = (sort switch
        {
            "rice" => Order(i => i.RiceScore), // the score as shown (one decimal); ties by id
            "effort" => Order(i => i.Effort),
            // Alphabetical order is the database's (collations differ between providers): ask it, by title alone.
            "title" => (desc ? items.OrderByDescending(i => titleRank[i.Title]) : items.OrderBy(i => titleRank[i.Title])).ThenBy(i => i.Id),
            _ => (desc
                    ? items.OrderBy(i => TargetKey(i) is null).ThenByDescending(TargetKey, StringComparer.Ordinal).ThenBy(i => i.StartDate is not null).ThenByDescending(i => i.StartDate)
                    : items.OrderBy(i => TargetKey(i) is null).ThenBy(TargetKey, StringComparer.Ordinal).ThenBy(i => i.StartDate is not null).ThenBy(i => i.StartDate))
                .ThenBy(i => i.Id),
        }).Select(i => i.Id).ToList();

        var ids = await AllPagesAsync(client, $"/roadmap/list?sort={sort}&dir={dir}");

        Assert.Equal(expected, ids);
        if (sort == "title")
        {
            // Whatever the collation, case does not matter: initials never go backwards.
            var initials = ids.Select(id => char.ToLowerInvariant(items.Single(i => i.Id == id).Title[0])).ToList();
            Assert.Equal(desc ? initials.OrderDescending() : initials.Order(), initials);
        }

        // The sorted column says so; its header link turns the order round.
        var header = (await client.GetAsync($"/roadmap/list?sort={sort}&dir={dir}")).Document.QuerySelector("th[aria-sort]")!;
        Assert.Equal(desc ? "descending" : "ascending", header.GetAttribute("aria-sort"));
        var reversed = await client.GetAsync(header.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal(desc ? "ascending" : "descending", reversed.Document.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task Rice_and_effort_sort_biggest_first_unless_asked_otherwise()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);

        var byRice = await client.GetAsync("/roadmap/list?sort=rice");

        var rice = byRice.Document.QuerySelectorAll("tbody tr td:nth-of-type(6)").Select(td => td.TextContent.Trim())
            .Where(t => t != "—").Select(t => decimal.Parse(t, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
        Assert.True(rice.Count > 10);
        Assert.Equal(rice.OrderDescending(), rice);
        Assert.Equal("descending", byRice.Document.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
    }

    [Theory]
    [InlineData("team=abc", "There is no team “abc”", 1)]
    [InlineData("team=999999", "There is no team “999999”", 1)]
    [InlineData("goal=abc", "There is no active goal “abc”", 1)]
    [InlineData("goal=999999", "There is no active goal “999999”", 1)]
    [InlineData("status=Bogus", "“Bogus” is not a status", 1)]
    [InlineData("status=7", "“7” is not a status", 1)]
    [InlineData("horizon=Soon", "“Soon” is not a horizon", 1)]
    [InlineData("horizon=2", "“2” is not a horizon", 1)]
    [InlineData("sort=price", "cannot be sorted by “price”", 1)]
    [InlineData("page=0", "pages start at 1", 1)]
    [InlineData("page=-3", "pages start at 1", 1)]
    [InlineData("page=abc", "“abc” is not a page number", 1)]
    [InlineData("page=99999", "There are only 2 pages: showing the last one.", 2)]
    [InlineData("page=99999999999999999999", "There are only 2 pages: showing the last one.", 2)]
    [InlineData("product=12345", "There is no product “12345”", 1)]
    [InlineData("team=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "There is no team “<script>alert(1)</script…”", 1)]
    public async Task Bad_filter_values_are_ignored_or_clamped_with_a_notice_never_an_error(string query, string notice, int page)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var expected = (await ItemsAsync(factory)).Where(i => i.ArchivedAt is null)
            .OrderBy(i => i.Horizon).ThenBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Id).Chunk(50).ElementAt(page - 1);

        var result = await client.GetAsync("/roadmap/list?" + query + "&dir=sideways");

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Contains(notice, Notices(result), StringComparison.Ordinal);
        Assert.Equal(expected, ListIds(result));
        Assert.DoesNotContain("<script>alert", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archived_items_are_listed_only_with_the_archived_toggle()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var item = await ItemAsync(factory, "Reseller portal");
        await ChangeAsync(factory, async db => (await db.RoadmapItems.SingleAsync(i => i.Id == item.Id)).Archive(DateTimeOffset.UtcNow));

        var without = await AllPagesAsync(client, "/roadmap/list");
        var with = await client.GetAsync($"/roadmap/list?archived=true&team={item.TeamId}");

        Assert.DoesNotContain(item.Id, without);
        var row = with.Document.QuerySelector($"tr[data-item-id='{item.Id}']")!;
        Assert.Equal("Archived", row.QuerySelector(".badge")!.TextContent.Trim());
        Assert.True(with.Document.QuerySelector<IHtmlInputElement>("#list-archived")!.IsChecked);
        Assert.DoesNotContain("Reseller portal", ListTitles(await client.GetAsync("/roadmap/list?orphans=true")));
        Assert.DoesNotContain("Reseller portal", ListTitles(await client.GetAsync("/roadmap/list?orphans=true&archived=true"))); // archived items do not count
    }

    [Fact]
    public async Task When_nothing_matches_the_list_says_what_to_do()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var insights = await factory.TeamIdAsync("Insights");

        var page = await client.GetAsync($"/roadmap/list?team={insights}&status=Dropped");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(page.Document.QuerySelector("table.roadmap-list"));
        var empty = page.Document.QuerySelector(".empty-state")!;
        Assert.Equal("No items match these filters", empty.QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal("/roadmap/list?product=1", empty.QuerySelector("a")!.GetAttribute("href"));
    }

    /// <summary>The ids of every row on every page, following the "Next" links.</summary>
    private static async Task<List<int>> AllPagesAsync(TestClient client, string url)
    {
        var ids = new List<int>();
        for (var next = url; next is not null;)
        {
            var page = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            ids.AddRange(ListIds(page));
            next = page.Document.QuerySelector("a[rel='next']")?.GetAttribute("href");
        }

        return ids;
    }
}
