using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Xunit.Abstractions;
using static AlignmentHub.IntegrationTests.RoadmapViews.RoadmapData;
using static AlignmentHub.IntegrationTests.Support.TestText;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>
/// The roadmap views on a product made by the real seed-large command (<see cref="LargeRoadmapFactory.Items"/> items,
/// twenty teams) next to the 60-item demo product: the caps, the links to the rest, and a number of SQL queries that
/// does not depend on the data size.
/// </summary>
public sealed class LargeDataTests(LargeRoadmapFactory factory, ITestOutputHelper output) : IClassFixture<LargeRoadmapFactory>
{
    [Fact]
    public async Task Board_list_and_timeline_read_the_database_in_as_many_queries_for_60_items_as_for_900()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var large = factory.LargeProductId;
        var graph = await GraphAsync(factory, large);
        var goal = graph.Goals.First(g => g.IsActive).Id;
        var demoGoal = (await GraphAsync(factory)).Goals.First(g => g.IsActive).Id;

        async Task<int> CountAsync(string url)
        {
            await factory.Counter.MeasureGetAsync(client, url);
            var count = factory.Counter.FeatureCount;
            output.WriteLine($"{count,2} queries  {url}");
            return count;
        }

        var pairs = new (string Small, string Large, int Max)[]
        {
            ("/roadmap?product=1&team=all", $"/roadmap?product={large}&team=all", 10),
            ("/roadmap?product=1&team=all&shipped=true", $"/roadmap?product={large}&team=all&shipped=true", 10),
            ("/roadmap/list?product=1", $"/roadmap/list?product={large}", 10),
            ("/roadmap/list?product=1&orphans=true&sort=rice&page=1", $"/roadmap/list?product={large}&orphans=true&sort=rice&page=3", 10),
            ($"/roadmap/list?product=1&goal={demoGoal}&sort=target", $"/roadmap/list?product={large}&goal={goal}&sort=target&page=2", 10),
            ("/roadmap/timeline?product=1", $"/roadmap/timeline?product={large}", 5),
        };
        foreach (var (small, big, max) in pairs)
        {
            var smallCount = await CountAsync(small);
            var largeCount = await CountAsync(big);
            Assert.Equal(smallCount, largeCount);
            Assert.InRange(largeCount, 1, max);
        }
    }

    [Fact]
    public async Task A_long_column_shows_fifty_cards_and_links_to_the_rest_in_the_list()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var large = factory.LargeProductId;
        var items = await ItemsAsync(factory, large);

        var page = await client.GetAsync($"/roadmap?product={large}&team=all");

        foreach (var horizon in new[] { RoadmapHorizon.Now, RoadmapHorizon.Next, RoadmapHorizon.Later })
        {
            var column = Column(items, horizon);
            Assert.True(column.Count > 100, $"{horizon} has only {column.Count} open items");
            Assert.Equal(column.Take(50).Select(i => i.Id), CardIds(page, horizon));
            Assert.StartsWith($"{column.Count.ToString("#,0", CultureInfo.InvariantCulture)} items · ", Normalise(ColumnOf(page, horizon).QuerySelector(".board-column-meta")!.TextContent), StringComparison.Ordinal);

            var more = ColumnOf(page, horizon).QuerySelector(".board-more a")!;
            Assert.Equal($"{column.Count - 50} more in this column — open the list", more.TextContent.Trim());
            var list = await client.GetAsync(more.GetAttribute("href")!);
            Assert.Equal(column.Skip(50).Take(50).Select(i => i.Id), ListIds(list)); // the list carries on where the board stops
        }
    }

    [Fact]
    public async Task The_timeline_draws_at_most_300_items_and_says_how_to_see_the_rest()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var large = factory.LargeProductId;

        var page = await client.GetAsync($"/roadmap/timeline?product={large}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(300, page.Document.QuerySelectorAll("table.timeline tbody tr[data-item-id]").Length);
        var notice = Normalise(page.Document.QuerySelector(".alert-info")!.TextContent);
        Assert.Matches(@"^Showing the first 300 of [\d,]+ items, team by team\. Choose a team to see all of its items, or open the list\.$", notice);
        Assert.Equal("#timeline-team", page.Document.QuerySelector(".alert-info a")!.GetAttribute("href"));

        // One team fits: all of its items, no notice.
        var teamId = int.Parse(page.Document.QuerySelectorAll("#timeline-team option").Skip(1)
            .First(o => o.TextContent.Contains(LargeRoadmapFactory.ProductName.Split(' ')[0], StringComparison.Ordinal)).GetAttribute("value")!, CultureInfo.InvariantCulture);
        var team = await client.GetAsync($"/roadmap/timeline?product={large}&team={teamId}");
        Assert.Null(team.Document.QuerySelector(".alert-info"));
        var rows = team.Document.QuerySelectorAll("table.timeline tbody tr[data-item-id]").Length;
        Assert.InRange(rows, 1, 299);
        var counted = int.Parse(Normalise(team.Document.QuerySelector(".roadmap-counts li strong")!.TextContent).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.Equal(counted, rows);
    }

    [Fact]
    public async Task The_list_pages_through_hundreds_of_items_and_clamps_a_page_past_the_end()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var large = factory.LargeProductId;
        var expected = (await ItemsAsync(factory, large)).Where(i => i.ArchivedAt is null)
            .OrderBy(i => i.Horizon).ThenBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Id).ToList();
        var pages = (expected.Count + 49) / 50;

        var last = await client.GetAsync($"/roadmap/list?product={large}&page=99999");

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Contains($"There are only {pages} pages: showing the last one.", Notices(last), StringComparison.Ordinal);
        Assert.Equal(expected.Skip((pages - 1) * 50), ListIds(last));
        Assert.StartsWith($"{expected.Count.ToString("#,0", CultureInfo.InvariantCulture)} items", Normalise(last.Document.QuerySelector("#list-count")!.TextContent), StringComparison.Ordinal);

        var middle = await client.GetAsync($"/roadmap/list?product={large}&page=7");
        Assert.Equal(expected.Skip(300).Take(50), ListIds(middle));
        var links = middle.Document.QuerySelectorAll(".roadmap-pagination .page-item").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["Previous", "1", "…", "5", "6", "7", "8", "9", "…", pages.ToString(CultureInfo.InvariantCulture), "Next"], links);
    }
}
