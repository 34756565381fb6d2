using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.Alignment.AlignmentTestData;

namespace AlignmentHub.IntegrationTests.Alignment;

/// <summary>
/// A long orphan queue (as in the large data set): paged 50 at a time, largest effort first across pages, and read in
/// the same number of queries whether there are 13 orphans or 144; a bulk re-link of 50 items reads no more than one of 1.
/// </summary>
public sealed class OrphanQueueScaleTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const int Added = 120;
    private const int RetiredLinked = 11;

    [Fact]
    public async Task A_long_queue_is_paged_largest_effort_first_in_a_constant_number_of_queries()
    {
        var counter = new QueryCounter();
        using var counted = factory.WithDbContextInterceptor(counter);
        using var client = await TestClient.SignedInAsync(counted, Demo.ProductManager);
        var platform = await factory.TeamIdAsync("Platform");

        async Task<(Page Page, int Queries)> MeasureAsync(string url) => (await counter.MeasureGetAsync(client, url), counter.FeatureReads);

        var (small, smallQueries) = await MeasureAsync("/alignment");
        var demoOrphans = OrphanRows(small).Count;
        Assert.InRange(demoOrphans, 1, 50);

        // 120 more orphans over four teams, some unestimated, in one save.
        var teams = await factory.QueryAsync(db => db.Teams.Select(t => t.Id).ToListAsync());
        await factory.QueryAsync(async db =>
        {
            for (var i = 0; i < Added; i++)
            {
                var item = new RoadmapItem(Demo.ProductId, teams[i % teams.Count], $"Bulk orphan {i:D3}", RoadmapItemKind.Feature, RoadmapHorizon.Later, DateTimeOffset.UtcNow);
                item.Estimate(i % 10 == 0 ? null : 0.5m + (i % 37), null, null, null);
                db.RoadmapItems.Add(item);
            }

            return await db.SaveChangesAsync();
        });
        var retiredGoal = await factory.RetiredGoalIdAsync();
        for (var i = 0; i < RetiredLinked; i++)
        {
            await factory.ArrangeItemAsync("Growth", $"On the retired goal {i:D2}", 1, links: [(LinkTargetType.Goal, retiredGoal)]);
        }

        var expected = await factory.ComputeByHandAsync();
        Assert.Equal(demoOrphans + Added + RetiredLinked, expected.Orphans.Count);

        var (first, firstQueries) = await MeasureAsync("/alignment");
        var (second, secondQueries) = await MeasureAsync($"/alignment?product={Demo.ProductId}&page=2");
        var (third, thirdQueries) = await MeasureAsync("/alignment?page=3");
        var (filtered, filteredQueries) = await MeasureAsync($"/alignment?team={platform}&page=2");
        var (beyond, _) = await MeasureAsync("/alignment?page=99");

        Assert.Equal(smallQueries, firstQueries);
        Assert.Equal(smallQueries, secondQueries);
        Assert.Equal(smallQueries, thirdQueries);
        Assert.Equal(smallQueries, filteredQueries);
        Assert.InRange(smallQueries, 5, 20);

        var pages = new[] { first, second, third }.Select(OrphanRows).ToList();
        Assert.Equal([50, 50, expected.Orphans.Count - 100], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(expected.Orphans.Order(StringComparer.Ordinal), all.Select(r => r.Title).Order(StringComparer.Ordinal));
        var efforts = all.Select(r => r.Effort == "not estimated" ? -1m : decimal.Parse(r.Effort.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(efforts.OrderByDescending(e => e), efforts); // largest first across pages, unestimated last

        Assert.Equal("Page 2 of 3", TextOf(second.Document.QuerySelector(".align-pager span")));
        Assert.Equal($"/alignment?product={Demo.ProductId}", second.Document.QuerySelector(".align-pager a[rel='prev']")!.GetAttribute("href"));
        Assert.Equal($"/alignment?product={Demo.ProductId}&page=3", second.Document.QuerySelector(".align-pager a[rel='next']")!.GetAttribute("href"));
        Assert.Equal(OrphanRows(third).Select(r => r.Id), OrphanRows(beyond).Select(r => r.Id)); // past the end: the last page
        Assert.Equal(50, second.Document.QuerySelectorAll("form input[name='ShownIds']").Length);
        Assert.Contains($"· showing 51–100", TextOf(second.Document.QuerySelector(".align-queue-legend")), StringComparison.Ordinal);
        // The team filter (fewer than 50 of Platform's orphans: page 2 is past the end and shows the only page).
        var platformItems = await factory.QueryAsync(db => db.RoadmapItems.Where(i => i.TeamId == platform).Select(i => i.Title).ToListAsync());
        Assert.Equal(expected.Orphans.Where(platformItems.Contains).Order(StringComparer.Ordinal), OrphanRows(filtered).Select(r => r.Title).Order(StringComparer.Ordinal));
        Assert.Equal(platform.Invariant(), filtered.Document.QuerySelector<IHtmlSelectElement>("#align-team")!.Value);

        // A long conflict list shows ten rows and the rest in a disclosure that opens without JavaScript.
        var retired = first.Document.QuerySelector("#conflicts-retired")!;
        var retiredRows = retired.QuerySelectorAll("li[data-conflict='retired']").Length;
        Assert.Equal(3 + RetiredLinked, retiredRows);
        Assert.Equal(10, retired.QuerySelectorAll(":scope .card-body > ul.align-rows > li").Length);
        Assert.Equal(retiredRows - 10, retired.QuerySelectorAll("details.align-more li[data-conflict='retired']").Length);
        Assert.Equal($"Show the other {retiredRows - 10}", TextOf(retired.QuerySelector("details.align-more > summary")));

        // A bulk re-link reads the same whatever the number of items.
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var token = first.Document.QuerySelector<IHtmlInputElement>("form[action='/alignment/relink'] input[name='__RequestVerificationToken']")!.Value;
        async Task<int> RelinkAsync(IEnumerable<int> ids)
        {
            // From the page, as a user would: the previous re-link changed data, and the page reads the product snapshot
            // again, so that both re-links start with a current snapshot in the cache and only their own reads are compared.
            await client.GetAsync("/alignment");
            counter.Reset();
            var fields = new List<KeyValuePair<string, string>> { new("ProductId", Demo.ProductId.Invariant()), new("Target", $"kr:{kr}") };
            fields.AddRange(ids.Select(id => new KeyValuePair<string, string>("ItemIds", id.Invariant())));
            var post = await client.PostWithTokenAsync("/alignment/relink", token, fields);
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            return counter.FeatureReads;
        }

        var one = await RelinkAsync([OrphanRows(first)[0].Id]);
        var fifty = await RelinkAsync(OrphanRows(second).Select(r => r.Id));
        Assert.Equal(one, fifty);
    }
}
