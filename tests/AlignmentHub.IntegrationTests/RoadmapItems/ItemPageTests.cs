using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.RoadmapItems;

/// <summary>
/// Reading: the item page's why chains (whole, through parent objectives, broken), read-only views, unknown ids, the
/// goal and objective pages listing their items, and a constant number of queries per page.
/// </summary>
public sealed class ItemPageTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string VisionFirstLine = "Every customer conversation, resolved in one place";

    [Fact]
    public async Task An_item_linked_to_a_key_result_shows_its_chain_key_result_objective_goal_vision_in_order_each_a_link()
    {
        var kr = await factory.KeyResultAsync("Guided import from Zendesk launched");
        var objective = await factory.ObjectiveAsync("Make the first week effortless");
        var goal = (await factory.GoalsAsync()).Single(g => g.Title == "New customers see value within 7 days");
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Chained"), (LinkTargetType.KeyResult, kr.Id));
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Sam); // any signed-in user may read

        var page = await client.GetAsync(ItemTestData.ItemUrl(id));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var chain = Assert.Single(page.Document.QuerySelectorAll("[data-why-chain]"));
        Assert.Equal("active", chain.GetAttribute("data-why-chain"));
        var steps = chain.QuerySelectorAll(".why-step").Select(s => (
            Kind: s.QuerySelector(".why-step-kind")!.TextContent.Trim(),
            Title: s.QuerySelector(".why-step-title")!.TextContent.Trim(),
            Href: s.QuerySelector("a")?.GetAttribute("href"))).ToList();
        Assert.Equal(
            new (string Kind, string Title, string? Href)[]
            {
                ("Key result", kr.Title, $"/okrs/objectives/{objective.Id}#kr-{kr.Id}"),
                ("Objective", objective.Title, $"/okrs/objectives/{objective.Id}"),
                ("Goal", goal.Title, $"/products/1/goals/{goal.Id}"),
                ("Vision", VisionFirstLine, "/products/1/vision"),
            },
            steps);
        Assert.Null(page.Document.QuerySelector("[data-item-orphan]"));
    }

    [Fact]
    public async Task A_chain_through_a_parent_objective_names_both_objectives_child_first()
    {
        var kr = await factory.KeyResultAsync("Accounts viewing the ROI report monthly");
        var id = await factory.ArrangeItemAsync("Insights", Demo.UniqueTitle("Through the parent"), (LinkTargetType.KeyResult, kr.Id));
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync(ItemTestData.ItemUrl(id));

        var titles = page.Document.QuerySelectorAll("[data-why-chain='active'] .why-step-title").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal([kr.Title, "Show customers the value they get from Beacon", "Grow expansion revenue", "Grow net revenue retention to 115 %", VisionFirstLine], titles);
    }

    [Fact]
    public async Task An_item_linked_to_a_retired_goal_shows_a_broken_chain_with_its_reason_and_is_an_orphan()
    {
        var retired = (await factory.GoalsAsync()).Single(g => g.Status == GoalStatus.Retired);
        var id = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Left behind"), (LinkTargetType.Goal, retired.Id));
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Sam);

        var page = await client.GetAsync(ItemTestData.ItemUrl(id));

        var chain = Assert.Single(page.Document.QuerySelectorAll("[data-why-chain]"));
        Assert.Equal("broken", chain.GetAttribute("data-why-chain"));
        Assert.Contains("why-chain-broken", chain.ClassList);
        Assert.Equal(retired.Title, chain.QuerySelector(".why-step-title")!.TextContent.Trim());
        Assert.Equal("(retired)", chain.QuerySelector(".why-step-note")!.TextContent.Trim());
        Assert.Equal("Broken: the goal is no longer active.", chain.QuerySelector(".why-chain-reason")!.TextContent.Trim());
        Assert.DoesNotContain(VisionFirstLine, chain.TextContent, StringComparison.Ordinal);
        var orphan = page.Document.QuerySelector("[data-item-orphan]");
        Assert.NotNull(orphan);
        Assert.Contains("None of its links reaches an active goal any more.", orphan.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executives_and_members_of_other_teams_see_no_edit_controls_while_the_team_and_its_product_manager_do()
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Read only for some"));
        var url = ItemTestData.ItemUrl(id);

        async Task<(int Posts, bool EditLink)> ControlsAsync(string email)
        {
            using var client = await TestClient.SignedInAsync(factory, email);
            var page = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            return (page.Document.QuerySelectorAll("form[method='post']").Count(f => f.GetAttribute("action")!.StartsWith(url, StringComparison.Ordinal)),
                page.Document.QuerySelector($"a[href='{url}/edit']") is not null);
        }

        Assert.Equal((0, false), await ControlsAsync(Demo.Executive));
        Assert.Equal((0, false), await ControlsAsync(ItemTestData.Sam));
        var member = await ControlsAsync(ItemTestData.Tom);
        Assert.True(member.EditLink);
        Assert.True(member.Posts >= 3); // link, status, evidence
        Assert.Equal(member, await ControlsAsync(Demo.ProductManager));
    }

    [Fact]
    public async Task Every_form_of_the_item_page_carries_its_own_antiforgery_token()
    {
        var blocker = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Blocker"));
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Tokens"), (LinkTargetType.KeyResult, (await factory.KeyResultAsync("Setup wizard completion rate")).Id));
        await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Dependencies).SingleAsync(i => i.Id == id);
            item.DependOn(await db.RoadmapItems.SingleAsync(i => i.Id == blocker), _ => []);
            item.AddEvidence("Asked for twice", null, 2, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);

        var page = await client.GetAsync(ItemTestData.ItemUrl(id) + "?find=zendesk");

        var posts = page.Document.QuerySelectorAll("form[method='post']").Where(f => f.GetAttribute("action")!.StartsWith("/roadmap/", StringComparison.Ordinal)).ToList();
        Assert.True(posts.Count >= 7, $"only {posts.Count} forms"); // remove link, add link, remove dependency, add dependency, remove evidence, add evidence, status
        Assert.All(posts, f => Assert.NotNull(f.QuerySelector($"input[name='{TestClient.TokenField}']")));
    }

    [Theory]
    [InlineData("%00zendesk", "Guided Zendesk import")]
    [InlineData("ZENDESK", "Guided Zendesk import")]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E", null)]
    [InlineData("%27%20OR%201%3D1%20--", null)]
    [InlineData("%25", null)]
    [InlineData("99999999999999999999", null)]
    public async Task The_blocker_search_answers_any_text_without_error_and_echoes_it_as_text(string find, string? expected)
    {
        var id = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Searching"));
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);

        var page = await client.GetAsync(ItemTestData.ItemUrl(id) + "?find=" + find + new string('x', find.Length > 30 ? 300 : 0));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(page.Document.QuerySelector("#dependencies script"));
        var results = page.Document.QuerySelectorAll(".item-candidates li .fw-semibold").Select(r => r.TextContent.Trim()).ToList();
        if (expected is null)
        {
            Assert.Empty(results);
            Assert.Contains("No active item of this product matches", page.Text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(expected, results);
        }
    }

    [Theory]
    [InlineData("/roadmap/items/999999")]
    [InlineData("/roadmap/items/999999/edit")]
    [InlineData("/roadmap/items/999999/archive")]
    [InlineData("/roadmap/items/abc")]
    [InlineData("/roadmap/items/-1")]
    public async Task Unknown_items_answer_404(string url)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_goal_page_lists_the_objectives_and_the_active_items_that_reach_it_by_team_or_horizon()
    {
        var goal = (await factory.GoalsAsync()).Single(g => g.Title == "New customers see value within 7 days");
        var kr = await factory.KeyResultAsync("Guided import from Zendesk launched");
        var title = Demo.UniqueTitle("Reaches goal 2");
        await factory.ArrangeItemAsync("Onboarding", title, (LinkTargetType.KeyResult, kr.Id));
        var expected = await ItemsReachingAsync(goal.Id);
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync($"/products/1/goals/{goal.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var objectives = page.Document.QuerySelectorAll("#objectives article h3").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("Make the first week effortless", objectives);
        Assert.Contains("Self-serve analytics for support leads", objectives);
        Assert.DoesNotContain("Launch the new setup wizard", objectives); // last quarter's
        Assert.NotNull(page.Document.QuerySelector("#objectives .progress-block details.how-calculated"));
        var listed = page.Document.QuerySelectorAll("[data-goal-items] li > a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Contains(title, listed);
        Assert.Contains("Guided Zendesk import", listed);
        Assert.DoesNotContain("Legacy wizard clean-up", listed); // dropped
        Assert.DoesNotContain("Partner app sandbox", listed);
        var mine = page.Document.QuerySelectorAll("[data-goal-items] li").Single(li => li.QuerySelector("a")!.TextContent.Trim() == title);
        Assert.Contains($"3 pts · via key result “{kr.Title}”", TestText.Normalise(mine.TextContent), StringComparison.Ordinal);
        Assert.Contains($"{expected.Count} active items reach this goal", TestText.Normalise(page.Document.QuerySelector("[data-goal-item-summary]")!.TextContent), StringComparison.Ordinal);
        Assert.Contains("Onboarding", page.Document.QuerySelectorAll(".served-group-title").Select(t => t.ChildNodes[0].TextContent.Trim()));

        var byHorizon = await client.GetAsync($"/products/1/goals/{goal.Id}?group=horizon");
        var groups = byHorizon.Document.QuerySelectorAll(".served-group-title").Select(t => t.ChildNodes[0].TextContent.Trim()).ToList();
        Assert.Equal(groups.OrderBy(g => g switch { "Now" => 1, "Next" => 2, _ => 3 }), groups);
        Assert.Contains("Now", groups);
        Assert.Equal(listed.Count, byHorizon.Document.QuerySelectorAll("[data-goal-items] li").Length);
    }

    [Fact]
    public async Task A_retired_goal_page_says_nothing_counts_and_lists_the_items_still_linked_to_it()
    {
        var retired = (await factory.GoalsAsync()).Single(g => g.Status == GoalStatus.Retired);
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);

        var page = await client.GetAsync($"/products/1/goals/{retired.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(page.Document.QuerySelectorAll("[data-goal-items]"));
        Assert.Contains("no roadmap item counts towards it", page.Text, StringComparison.Ordinal);
        var still = page.Document.QuerySelectorAll("[data-goal-still-linked] li > a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Partner app sandbox", still);
        Assert.Contains("Marketplace listing pages", still);
        Assert.Contains("Embedded analytics SDK", still);
    }

    [Fact]
    public async Task A_goal_without_items_says_what_to_do_next()
    {
        var goalId = await factory.QueryAsync(async db =>
        {
            var product = await db.Products.Include(p => p.Goals).SingleAsync(p => p.Id == Demo.ProductId);
            var goal = product.AddGoal(Demo.UniqueTitle("Unserved goal"), null, null, GoalHorizon.LongTerm);
            await db.SaveChangesAsync();
            return goal.Id;
        });
        using var client = await TestClient.SignedInAsync(factory, ItemTestData.Tom);

        var page = await client.GetAsync($"/products/1/goals/{goalId}");

        Assert.Contains("No active roadmap item serves this goal yet.", page.Text, StringComparison.Ordinal);
        Assert.Contains("No team has an objective for this goal", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector($"#items a[href='/roadmap/items/new?product=1&why=goal:{goalId}']"));
    }

    [Fact]
    public async Task The_objective_page_lists_the_items_of_the_objective_and_of_each_key_result()
    {
        var objective = await factory.ObjectiveAsync("Make the first week effortless");
        var zendesk = objective.KeyResults.Single(k => k.Title == "Guided import from Zendesk launched");
        var wizard = objective.KeyResults.Single(k => k.Title == "Setup wizard completion rate");
        var direct = Demo.UniqueTitle("Serves the objective itself");
        await factory.ArrangeItemAsync("Onboarding", direct, (LinkTargetType.Objective, objective.Id));
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync($"/okrs/objectives/{objective.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal([direct], page.Document.QuerySelectorAll("[data-objective-items] li > a").Select(a => a.TextContent.Trim()));
        var zendeskItems = page.Document.QuerySelectorAll($"[data-kr-items='{zendesk.Id}'] li").ToList();
        var zendeskTitles = zendeskItems.Select(li => li.QuerySelector("a")!.TextContent.Trim()).ToList();
        Assert.Contains("Data import progress emails", zendeskTitles);
        Assert.Contains("Guided Zendesk import", zendeskTitles);
        Assert.DoesNotContain("Setup checklist in the inbox", zendeskTitles);
        Assert.DoesNotContain(direct, zendeskTitles);
        var guided = zendeskItems.Single(li => li.QuerySelector("a")!.TextContent.Trim() == "Guided Zendesk import");
        Assert.Equal($"/roadmap/items/{await factory.ItemIdAsync("Guided Zendesk import")}", guided.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("In progress", guided.TextContent, StringComparison.Ordinal);
        Assert.Contains("Onboarding", guided.TextContent, StringComparison.Ordinal);
        var wizardItems = page.Document.QuerySelectorAll($"[data-kr-items='{wizard.Id}'] li > a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Setup checklist in the inbox", wizardItems);
        Assert.DoesNotContain("Guided Zendesk import", wizardItems);
    }

    [Fact]
    public async Task The_item_goal_and_objective_pages_read_the_database_in_a_constant_number_of_queries()
    {
        var counter = new QueryCounter();
        using var counted = factory.WithDbContextInterceptor(counter);
        using var client = await TestClient.SignedInAsync(counted, Demo.Admin);
        var plain = await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("Plain"));
        var krs = (await factory.ObjectiveAsync("Make the first week effortless")).KeyResults.ToList();
        var rich = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Rich"), krs.Select(k => (LinkTargetType.KeyResult, k.Id)).ToArray());
        await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Dependencies).SingleAsync(i => i.Id == rich);
            var blockers = await db.RoadmapItems.Where(i => i.Title == "Guided Zendesk import" || i.Title == "Setup checklist in the inbox").ToListAsync();
            blockers.ForEach(b => item.DependOn(b, _ => []));
            item.AddEvidence("One", null, 1, DateTimeOffset.UtcNow);
            item.AddEvidence("Two", "https://example.com/2", 3, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        var goals = await factory.RankedGoalsAsync();

        async Task<int> CountAsync(string url)
        {
            await counter.MeasureGetAsync(client, url);
            return counter.FeatureCount;
        }

        Assert.Equal(await CountAsync(ItemTestData.ItemUrl(plain)), await CountAsync(ItemTestData.ItemUrl(rich)));
        Assert.Equal(await CountAsync(ItemTestData.ItemUrl(plain) + "?find=a"), await CountAsync(ItemTestData.ItemUrl(rich) + "?find=zendesk"));
        Assert.Equal(await CountAsync($"/products/1/goals/{goals[1].Id}"), await CountAsync($"/products/1/goals/{goals[4].Id}"));
    }

    /// <summary>The titles of the active items that reach the goal, by the alignment rules themselves.</summary>
    private Task<List<string>> ItemsReachingAsync(int goalId) => factory.QueryAsync(async db =>
    {
        // By hand (brief §3): not dropped, not archived, not shipped before the current quarter.
        var quarterStart = new DateTimeOffset(Domain.Okrs.Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var items = (await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == Demo.ProductId && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
                .Select(i => new { i.Id, i.Title, i.Status, i.ShippedAt }).ToListAsync())
            .Where(i => !(i.Status == RoadmapItemStatus.Shipped && i.ShippedAt < quarterStart))
            .ToList();
        var links = await db.RoadmapLinks.AsNoTracking().ToListAsync();
        var keyResults = await db.KeyResults.AsNoTracking().Select(k => new { k.Id, k.ObjectiveId, k.Status }).ToListAsync();
        var objectives = await db.Objectives.AsNoTracking().Select(o => new { o.Id, o.GoalId, o.ParentObjectiveId, o.Status }).ToListAsync();
        bool ObjectiveReaches(int? objectiveId)
        {
            // By hand: an active objective whose own goal, or its active parent's, is the goal (the demo goal is active).
            for (var o = objectives.SingleOrDefault(x => x.Id == objectiveId); o is { Status: Domain.Okrs.ObjectiveStatus.Active }; o = objectives.SingleOrDefault(x => x.Id == o.ParentObjectiveId))
            {
                if (o.GoalId is { } g)
                {
                    return g == goalId;
                }
            }

            return false;
        }

        bool Reaches(Domain.Roadmap.RoadmapLink l) => l.TargetType switch
        {
            LinkTargetType.Goal => l.TargetId == goalId,
            LinkTargetType.Objective => ObjectiveReaches(l.TargetId),
            _ => keyResults.SingleOrDefault(k => k.Id == l.TargetId) is { Status: Domain.Okrs.KeyResultStatus.Active } k && ObjectiveReaches(k.ObjectiveId),
        };

        return items.Where(i => links.Any(l => l.RoadmapItemId == i.Id && Reaches(l))).Select(i => i.Title).ToList();
    });
}
