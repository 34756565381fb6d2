using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.RoadmapViews.RoadmapData;
using static AlignmentHub.IntegrationTests.Support.TestText;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>The quarter timeline on the demo data, with a few items given dates or no schedule at all.</summary>
public sealed class TimelineTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The first day of the quarter <paramref name="offset"/> quarters from the current one.</summary>
    private static DateOnly QuarterStart(int offset) => new DateOnly(Today.Year, (((Today.Month - 1) / 3) * 3) + 1, 1).AddMonths(3 * offset);

    private static string Key(DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{day.Year}-Q{((day.Month - 1) / 3) + 1}");

    private static List<string> WindowKeys => Enumerable.Range(-1, 6).Select(k => Key(QuarterStart(k))).ToList();

    [Fact]
    public async Task There_is_a_column_per_quarter_from_the_previous_one_to_four_ahead()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/roadmap/timeline");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var table = page.Document.QuerySelector("table.timeline")!;
        Assert.NotNull(table.QuerySelector("caption"));
        var headers = table.QuerySelectorAll("thead th[scope='col']").ToList();
        Assert.Equal("Item", headers[0].TextContent.Trim());
        Assert.Equal(WindowKeys, headers.Skip(1).Select(h => h.QuerySelector(".timeline-quarter-key")!.TextContent.Trim()));
        Assert.Equal(Key(Today), table.QuerySelector("thead th[aria-current='date'] .timeline-quarter-key")!.TextContent.Trim());
    }

    [Fact]
    public async Task Open_items_sit_in_the_quarters_their_dates_or_target_quarter_cover_grouped_by_team()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var items = await ItemsAsync(factory);
        var teams = await TeamNamesAsync(factory);
        var keys = WindowKeys;

        var page = await client.GetAsync("/roadmap/timeline");

        // Expected by hand: dates win over the quarter; only open items overlapping the window.
        string? FirstQuarter(RoadmapItem i)
        {
            if (i.StartDate is { } s && i.EndDate is { } e)
            {
                return e < QuarterStart(-1) || s >= QuarterStart(5) ? null : s < QuarterStart(-1) ? keys[0] : Key(s);
            }

            return i.TargetPeriodKey is { } k && keys.Contains(k) ? k : null;
        }

        var expected = items.Where(IsOpen).Where(i => FirstQuarter(i) is not null).ToDictionary(i => i.Id, i => FirstQuarter(i));
        Assert.NotEmpty(expected);
        var rows = page.Document.QuerySelectorAll("table.timeline tbody tr[data-item-id]").ToList();
        Assert.Equal(expected.Keys.Order(), rows.Select(r => int.Parse(r.GetAttribute("data-item-id")!, CultureInfo.InvariantCulture)).Order());
        foreach (var row in rows)
        {
            var id = int.Parse(row.GetAttribute("data-item-id")!, CultureInfo.InvariantCulture);
            var bar = row.QuerySelector("td.has-bar")!;
            Assert.Equal(expected[id], bar.GetAttribute("data-first-quarter"));
            Assert.Equal(keys.Count, row.QuerySelectorAll("td").Sum(td => int.Parse(td.GetAttribute("colspan") ?? "1", CultureInfo.InvariantCulture)));

            // The group the row is in is the item's team.
            var group = row.ParentElement!.QuerySelector("tr.timeline-team th")!.TextContent;
            Assert.StartsWith(teams[items.Single(i => i.Id == id).TeamId] + " ", group, StringComparison.Ordinal);
        }

        var groups = page.Document.QuerySelectorAll("tr.timeline-team th").Select(th => th.FirstChild!.TextContent.Trim()).ToList();
        Assert.Equal(groups.Order(StringComparer.CurrentCultureIgnoreCase), groups);
        Assert.DoesNotContain("Legacy wizard clean-up", page.Text, StringComparison.Ordinal); // dropped
        Assert.DoesNotContain("Setup checklist in the inbox", page.Text, StringComparison.Ordinal); // shipped
    }

    [Fact]
    public async Task An_item_with_dates_spans_every_quarter_they_cover()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var spanning = await ItemAsync(factory, "Freshdesk importer");
        var early = await ItemAsync(factory, "Trial health score for sales");
        var start = QuarterStart(0).AddDays(40);
        var end = QuarterStart(1).AddDays(20);
        await ChangeAsync(factory, async db =>
        {
            (await db.RoadmapItems.SingleAsync(i => i.Id == spanning.Id)).Schedule(RoadmapHorizon.Next, spanning.TargetPeriodKey, start, end);
            (await db.RoadmapItems.SingleAsync(i => i.Id == early.Id)).Schedule(RoadmapHorizon.Next, null, QuarterStart(-1).AddDays(-100), QuarterStart(0).AddDays(10));
        });

        var page = await client.GetAsync("/roadmap/timeline");

        var bar = page.Document.QuerySelector($"tr[data-item-id='{spanning.Id}'] td.has-bar")!;
        Assert.Equal(Key(start), bar.GetAttribute("data-first-quarter"));
        Assert.Equal("2", bar.GetAttribute("colspan"));
        var text = Normalise(bar.TextContent);
        Assert.Contains(start.ToString("d MMM", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains(end.ToString("d MMM yyyy", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Equal(5, page.Document.QuerySelector($"tr[data-item-id='{spanning.Id}']")!.QuerySelectorAll("td").Length); // 6 quarters, one cell spans 2

        // Started before the window: the bar begins at the first column and says it started earlier.
        var earlyBar = page.Document.QuerySelector($"tr[data-item-id='{early.Id}'] td.has-bar")!;
        Assert.Equal(WindowKeys[0], earlyBar.GetAttribute("data-first-quarter"));
        Assert.Equal("2", earlyBar.GetAttribute("colspan"));
        Assert.NotNull(earlyBar.QuerySelector(".timeline-bar.starts-before"));
        Assert.Contains("Started earlier", earlyBar.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unscheduled_and_far_off_items_are_counted_with_links_to_the_list()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var unscheduled = await ItemAsync(factory, "Trial extension self-service");
        var farOff = await ItemAsync(factory, "Custom metrics API");
        await ChangeAsync(factory, async db =>
        {
            (await db.RoadmapItems.SingleAsync(i => i.Id == unscheduled.Id)).Schedule(RoadmapHorizon.Next, null, null, null);
            (await db.RoadmapItems.SingleAsync(i => i.Id == farOff.Id)).Schedule(RoadmapHorizon.Later, Key(QuarterStart(7)), null, null);
        });
        var items = (await ItemsAsync(factory)).Where(IsOpen).ToList();
        var expectedUnscheduled = items.Count(i => i.TargetPeriodKey is null && i.StartDate is null);

        var page = await client.GetAsync("/roadmap/timeline");

        Assert.Null(page.Document.QuerySelector($"tr[data-item-id='{unscheduled.Id}']"));
        Assert.Null(page.Document.QuerySelector($"tr[data-item-id='{farOff.Id}']"));
        var counts = page.Document.QuerySelectorAll(".roadmap-counts li").Select(li => Normalise(li.TextContent)).ToList();
        Assert.Contains($"{expectedUnscheduled} unscheduled (no quarter or dates)", counts);
        Assert.Contains(counts, c => c.EndsWith("scheduled outside these quarters", StringComparison.Ordinal));

        var link = page.Document.QuerySelectorAll(".roadmap-counts a").Single(a => a.TextContent.Contains("unscheduled", StringComparison.Ordinal)).GetAttribute("href")!;
        var list = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(unscheduled.Title, ListTitles(list));
        Assert.Equal(expectedUnscheduled, ListTitles(list).Count);
    }

    [Fact]
    public async Task The_team_filter_shows_one_team_and_an_unknown_team_gets_a_notice()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var platform = await factory.TeamIdAsync("Platform");

        var page = await client.GetAsync($"/roadmap/timeline?team={platform}");
        var groups = page.Document.QuerySelectorAll("tr.timeline-team th").Select(th => th.FirstChild!.TextContent.Trim()).ToList();
        Assert.Equal(["Platform"], groups);
        Assert.Equal(platform.ToString(CultureInfo.InvariantCulture), page.InputValue("team"));

        var unknown = await client.GetAsync("/roadmap/timeline?team=banana&product=%00");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("There is no team “banana”. Showing all teams instead.", Notices(unknown), StringComparison.Ordinal);
        Assert.Contains("There is no product", Notices(unknown), StringComparison.Ordinal);
        Assert.True(unknown.Document.QuerySelectorAll("tr.timeline-team").Length >= 4);
    }

    [Fact]
    public async Task The_timeline_links_to_the_list_as_its_text_alternative()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/roadmap/timeline");

        var asList = page.Document.QuerySelector(".page-actions a")!;
        Assert.Equal("As a list", asList.TextContent.Trim());
        Assert.Equal("/roadmap/list?product=1&status=open&sort=target", asList.GetAttribute("href"));
        Assert.Equal("region", page.Document.QuerySelector(".timeline-scroll")!.GetAttribute("role"));
        Assert.Equal("0", page.Document.QuerySelector(".timeline-scroll")!.GetAttribute("tabindex")); // scrollable by keyboard
        Assert.All(page.Document.QuerySelectorAll("table.timeline tbody tr[data-item-id] th"), th => Assert.Equal("row", th.GetAttribute("scope")));
    }
}
