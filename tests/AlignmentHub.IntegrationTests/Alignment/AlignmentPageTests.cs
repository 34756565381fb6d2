using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using static AlignmentHub.IntegrationTests.Alignment.AlignmentTestData;

namespace AlignmentHub.IntegrationTests.Alignment;

/// <summary>
/// The Alignment page read by each role: the orphan queue, unsupported objectives and key results, and conflicts,
/// each checked against the brief's rules computed by hand from the database.
/// </summary>
public sealed class AlignmentPageTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_orphan_queue_lists_exactly_the_orphans_of_the_demo_product_largest_effort_first_with_the_summary()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var expected = await factory.ComputeByHandAsync();

        var page = await client.GetAsync("/alignment");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var rows = OrphanRows(page);
        Assert.Equal(expected.Orphans.Order(StringComparer.Ordinal), rows.Select(r => r.Title).Order(StringComparer.Ordinal));
        Assert.Contains("Upgrade to PostgreSQL 17", expected.Orphans); // no links at all
        Assert.Contains("Partner app sandbox", expected.Orphans); // linked only to the retired goal
        Assert.DoesNotContain("Legacy wizard clean-up", expected.Orphans); // dropped: does not count
        var efforts = rows.Select(r => decimal.Parse(r.Effort.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(efforts.OrderByDescending(e => e), efforts);

        var orphans = TextOf(page.Document.QuerySelector("[data-summary='orphans']"));
        Assert.Contains($"{expected.Orphans.Count} items", orphans, StringComparison.Ordinal);
        var percent = (int)Math.Round(expected.OrphanEffort / expected.ActiveEffort * 100m, MidpointRounding.AwayFromZero);
        Assert.Contains($"{Pts(expected.OrphanEffort)} of {Pts(expected.ActiveEffort)} active effort ({percent} %)", orphans, StringComparison.Ordinal);
        Assert.Equal($"Orphan queue {expected.Orphans.Count}", TextOf(page.Document.QuerySelector("#orphans-title")));
    }

    [Fact]
    public async Task Each_orphan_says_why_it_is_one_and_links_to_its_item_page()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var retiredKr = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("Objective with a retired KR"), await factory.ActiveGoalIdAsync(2),
            Kr("Kept key result"), Kr("Retired key result " + Guid.NewGuid().ToString("N")[..6]));
        await factory.QueryAsync(async db =>
        {
            var kr = await db.KeyResults.FindAsync(retiredKr.KeyResultIds[1]);
            var objective = await db.Objectives.FindAsync(kr!.ObjectiveId);
            await db.Entry(objective!).Collection(o => o.KeyResults).LoadAsync();
            kr.Retire();
            await db.SaveChangesAsync();
            return 0;
        });
        var title = Demo.UniqueTitle("Item on a retired KR");
        var itemId = await factory.ArrangeItemAsync("Insights", title, 21, links: [(LinkTargetType.KeyResult, retiredKr.KeyResultIds[1])]);

        var page = await client.GetAsync("/alignment");

        string Reasons(int id) => TextOf(page.Document.QuerySelector($"li.orphan-row[data-item-id='{id}'] .orphan-reasons"));
        Assert.Equal("No links at all: nothing says which goal, objective or key result it serves.", Reasons(await factory.ItemIdAsync("Upgrade to PostgreSQL 17")));
        Assert.Equal("Linked to goal “Launch a partner app marketplace”, but the goal is no longer active (retired).", Reasons(await factory.ItemIdAsync("Partner app sandbox")));
        Assert.StartsWith("Linked to key result “Retired key result", Reasons(itemId), StringComparison.Ordinal);
        Assert.EndsWith("but the key result is retired or its objective is closed.", Reasons(itemId), StringComparison.Ordinal);

        var row = page.Document.QuerySelector($"li.orphan-row[data-item-id='{itemId}']")!;
        Assert.Equal($"/roadmap/items/{itemId}", row.QuerySelector("a.orphan-title")!.GetAttribute("href"));
        Assert.Equal("21 pts", TextOf(row.QuerySelector(".orphan-effort")));
        Assert.Equal("Insights Planned Horizon: Next", TextOf(row.QuerySelector(".orphan-meta")));
        Assert.Equal(itemId, OrphanRows(page)[0].Id); // the largest effort comes first
    }

    [Fact]
    public async Task The_team_filter_shows_one_team_s_orphans_and_an_unknown_team_falls_back_to_all_with_a_notice()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var platform = await factory.TeamIdAsync("Platform");
        var all = OrphanRows(await client.GetAsync("/alignment")).Select(r => r.Id).ToHashSet();
        var platformItems = await factory.QueryAsync(db => Task.FromResult(db.RoadmapItems.Where(i => i.TeamId == platform).Select(i => i.Id).ToHashSet()));

        var filtered = await client.GetAsync($"/alignment?product={Demo.ProductId}&team={platform}");
        var unknown = await client.GetAsync("/alignment?team=abc<b>");

        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        var shown = OrphanRows(filtered).Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(shown);
        Assert.Equal(all.Where(platformItems.Contains).ToHashSet(), shown);
        Assert.Equal(platform.Invariant(), filtered.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#align-team")!.Value);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no team “abc<b>”. Showing the orphans of all teams instead.", unknown.Text, StringComparison.Ordinal);
        Assert.Null(unknown.Document.QuerySelector("#orphans b"));
        Assert.Equal(all, OrphanRows(unknown).Select(r => r.Id).ToHashSet());
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task An_unknown_product_answers_404(string product)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);

        var page = await client.GetAsync("/alignment?product=" + Uri.EscapeDataString(product));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task Unsupported_objectives_and_key_results_are_exactly_those_without_active_items()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);

        // A paper objective (no item at all), and an objective whose first key result has an item but the second not.
        var paper = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Paper objective"), await factory.ActiveGoalIdAsync(3),
            Kr(Demo.UniqueTitle("Paper KR")));
        var half = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Half-backed objective"), await factory.ActiveGoalIdAsync(1),
            Kr(Demo.UniqueTitle("Backed KR")), Kr(Demo.UniqueTitle("Unbacked KR")));
        await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("Backing item"), 3, links: [(LinkTargetType.KeyResult, half.KeyResultIds[0])]);
        // A dropped item does not support anything.
        await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Dropped item"), 3, links: [(LinkTargetType.Objective, paper.ObjectiveId)], status: RoadmapItemStatus.Dropped);
        var expected = await factory.ComputeByHandAsync();

        var page = await client.GetAsync("/alignment");

        var objectives = page.Document.QuerySelectorAll("#unsupported-objectives li[data-objective-id]").ToList();
        var keyResults = page.Document.QuerySelectorAll("#unsupported-key-results li[data-key-result-id]").ToList();
        Assert.Equal(expected.UnsupportedObjectives.Order(StringComparer.Ordinal), objectives.Select(o => TextOf(o.QuerySelector(".align-row-title"))).Order(StringComparer.Ordinal));
        Assert.Equal(expected.UnsupportedKeyResults.Order(StringComparer.Ordinal), keyResults.Select(k => TextOf(k.QuerySelector(".align-row-title"))).Order(StringComparer.Ordinal));
        Assert.Equal(2, expected.UnsupportedKeyResults.Count(t => t.StartsWith("Paper KR", StringComparison.Ordinal) || t.StartsWith("Unbacked KR", StringComparison.Ordinal)));
        Assert.DoesNotContain(expected.UnsupportedKeyResults, t => t.StartsWith("Backed KR", StringComparison.Ordinal));
        Assert.DoesNotContain(expected.UnsupportedObjectives, t => t.StartsWith("Half-backed objective", StringComparison.Ordinal));

        var paperRow = page.Document.QuerySelector($"#unsupported-objectives li[data-objective-id='{paper.ObjectiveId}']")!;
        Assert.Equal($"/okrs/objectives/{paper.ObjectiveId}", paperRow.QuerySelector("a.align-row-title")!.GetAttribute("href"));
        var currentKey = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;
        Assert.Equal($"Platform {currentKey} serves goal #3: The most reliable support platform in our category", TextOf(paperRow.QuerySelector(".align-row-meta")));
        var unbacked = page.Document.QuerySelector($"#unsupported-key-results li[data-key-result-id='{half.KeyResultIds[1]}']")!;
        Assert.Equal($"/okrs/objectives/{half.ObjectiveId}#kr-{half.KeyResultIds[1]}", unbacked.QuerySelector("a.align-row-title")!.GetAttribute("href"));
        Assert.Contains("Growth", TextOf(unbacked.QuerySelector(".align-row-meta")), StringComparison.Ordinal);
        Assert.Contains("Link a roadmap item to it from the item page or the orphan queue", page.Text, StringComparison.Ordinal);
        Assert.Equal(expected.UnsupportedObjectives.Count.Invariant(), TextOf(page.Document.QuerySelector("[data-summary='unsupported-objectives'] .align-stat-value")));
        Assert.Equal(expected.UnsupportedKeyResults.Count.Invariant(), TextOf(page.Document.QuerySelector("[data-summary='unsupported-key-results'] .align-stat-value")));
    }

    [Fact]
    public async Task Each_kind_of_conflict_is_shown_with_both_sides_and_an_explanation()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        // Fixtures beside the demo's: a dependency in the wrong order by dates, a stay-above / stay-below pair across
        // teams (a conflict), and an increase / decrease pair inside one team (not one).
        var needsId = await factory.ArrangeItemAsync("Growth", Demo.UniqueTitle("Needs it early"), 2, RoadmapHorizon.Now, start: new DateOnly(2031, 1, 10));
        var laterId = await factory.ArrangeItemAsync("Platform", Demo.UniqueTitle("Comes later"), 2, RoadmapHorizon.Now, start: new DateOnly(2031, 3, 1));
        await factory.QueryAsync(async db =>
        {
            var needs = await db.RoadmapItems.FindAsync(needsId);
            var later = await db.RoadmapItems.FindAsync(laterId);
            needs!.DependOn(later!, _ => []);
            await db.SaveChangesAsync();
            return 0;
        });
        var metric = "Queue depth " + Guid.NewGuid().ToString("N")[..6];
        var above = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Keep queues full"), await factory.ActiveGoalIdAsync(3), Kr("Queue depth above", MetricDirection.StayAbove, metric));
        var below = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("Keep queues short"), await factory.ActiveGoalIdAsync(2), Kr("Queue depth below", MetricDirection.StayBelow, metric + " "));
        var sameTeamMetric = "Same team metric " + Guid.NewGuid().ToString("N")[..6];
        await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Both ways"), await factory.ActiveGoalIdAsync(1),
            Kr("Up", MetricDirection.Increase, sameTeamMetric), Kr("Down", MetricDirection.Decrease, sameTeamMetric));

        var page = await client.GetAsync("/alignment");

        // Dependencies scheduled the wrong way round: the demo's by quarter, the fixture's by dates.
        var schedule = page.Document.QuerySelectorAll("#conflicts-schedule li[data-conflict='schedule']").Select(TextOf).ToList();
        Assert.Contains(schedule, s => s.StartsWith("Report builder v2 (Insights) depends on Read replicas for reporting (Platform)", StringComparison.Ordinal)
            && s.Contains("It cannot finish as planned: it starts in ", StringComparison.Ordinal));
        Assert.Contains(schedule, s => s.Contains("depends on Comes later", StringComparison.Ordinal)
            && s.Contains("it starts on 10 Jan 2031, but what it needs starts on 1 Mar 2031", StringComparison.Ordinal));
        Assert.Equal(2, schedule.Count);
        var links = page.Document.QuerySelectorAll("#conflicts-schedule a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/roadmap/items/{needsId}", links);
        Assert.Contains($"/roadmap/items/{laterId}", links);

        // Key results on one metric name pulling in opposite directions, across teams only.
        var metrics = page.Document.QuerySelectorAll("#conflicts-metrics li[data-conflict='metric']").Select(TextOf).ToList();
        Assert.Contains(metrics, m => m.StartsWith("Metric “Tickets per account”", StringComparison.Ordinal)
            && m.Contains("Growth: Tickets handled per account wants it higher", StringComparison.Ordinal)
            && m.Contains("Onboarding: Support tickets per trial account wants it lower", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith($"Metric “{metric}”", StringComparison.Ordinal)
            && m.Contains("Platform: Queue depth above wants it to stay above a threshold", StringComparison.Ordinal)
            && m.Contains("Insights: Queue depth below wants it to stay below a threshold", StringComparison.Ordinal));
        Assert.DoesNotContain(metrics, m => m.Contains(sameTeamMetric, StringComparison.Ordinal));
        Assert.Equal(2, metrics.Count);
        var krLinks = page.Document.QuerySelectorAll("#conflicts-metrics a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/okrs/objectives/{above.ObjectiveId}#kr-{above.KeyResultIds[0]}", krLinks);
        Assert.Contains($"/okrs/objectives/{below.ObjectiveId}#kr-{below.KeyResultIds[0]}", krLinks);

        // Items linked only to retired goals: the demo's three.
        var retired = page.Document.QuerySelectorAll("#conflicts-retired li[data-conflict='retired']").Select(TextOf).ToList();
        Assert.Equal(
            ["Embedded analytics SDK (Insights)", "Marketplace listing pages (Growth)", "Partner app sandbox (Platform)"],
            retired.Select(r => r[..(r.IndexOf(')', StringComparison.Ordinal) + 1)]).Order(StringComparer.Ordinal));
        Assert.All(retired, r => Assert.Contains("Linked only to the retired goal “Launch a partner app marketplace”.", r, StringComparison.Ordinal));

        Assert.Equal((schedule.Count + metrics.Count + retired.Count).Invariant(), TextOf(page.Document.QuerySelector("[data-summary='conflicts'] .align-stat-value")));
    }

    [Theory]
    [InlineData(Demo.ProductManager, "all")]
    [InlineData(Demo.Admin, "all")]
    [InlineData(Demo.Member, "Onboarding")]
    [InlineData(Demo.Executive, "none")]
    public async Task Checkboxes_and_the_re_link_form_appear_only_where_the_user_may_edit(string email, string mayEdit)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var teamOf = await factory.QueryAsync(db => Task.FromResult(db.RoadmapItems.ToDictionary(i => i.Id, i => i.TeamId)));

        var page = await client.GetAsync("/alignment");

        var rows = OrphanRows(page).Select(r => r.Id).ToList();
        var expected = mayEdit switch
        {
            "all" => rows,
            "Onboarding" => rows.Where(id => teamOf[id] == onboarding).ToList(),
            _ => [],
        };
        Assert.NotEmpty(rows);
        Assert.Equal(expected, CheckboxIds(page));
        var form = page.Document.QuerySelector("form[action='/alignment/relink']");
        if (mayEdit == "none")
        {
            Assert.Null(form);
            Assert.Null(page.Document.QuerySelector("select[name='Target']"));
        }
        else
        {
            Assert.NotNull(form);
            Assert.NotNull(form.QuerySelector("select[name='Target']"));
            Assert.Equal(expected, form.QuerySelectorAll("input[name='ShownIds']").Select(i => int.Parse(i.GetAttribute("value")!, CultureInfo.InvariantCulture)));
            Assert.Equal(mayEdit == "Onboarding", form.QuerySelector(".align-relink-note") is not null);
            var all = TextOf(form.QuerySelector("button[name='All']"));
            Assert.Equal(expected.Count == rows.Count ? $"Link all {expected.Count} shown" : $"Link all {expected.Count} you can edit", all);
        }
    }

    [Fact]
    public async Task Another_product_is_chosen_with_the_product_parameter_and_only_its_managers_may_re_link_there()
    {
        var other = await factory.ArrangeOtherProductAsync();
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        using var manager = await TestClient.SignedInAsync(factory, Demo.ProductManager);

        var asAdmin = await admin.GetAsync($"/alignment?product={other.ProductId}");
        var asManager = await manager.GetAsync($"/alignment?product={other.ProductId}");
        var beacon = await admin.GetAsync("/alignment");

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal([other.ItemId], OrphanRows(asAdmin).Select(r => r.Id));
        Assert.Equal(other.ProductId.Invariant(), asAdmin.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#align-product")!.Value);
        Assert.Equal([other.ItemId], CheckboxIds(asAdmin));
        Assert.Equal(["goal:" + other.GoalId.Invariant()], asAdmin.Document.QuerySelectorAll("select[name='Target'] option[value^='goal:'], select[name='Target'] option[value^='kr:']").Select(o => o.GetAttribute("value")!));
        Assert.Empty(CheckboxIds(asManager)); // Priya manages Beacon only
        Assert.Equal([other.ItemId], OrphanRows(asManager).Select(r => r.Id));
        Assert.DoesNotContain(other.ItemId, OrphanRows(beacon).Select(r => r.Id)); // the default product is the first by name
        Assert.Equal(Demo.ProductId.Invariant(), beacon.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#align-product")!.Value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-3")]
    [InlineData("0")]
    [InlineData("99999999999")]
    public async Task A_page_number_that_is_not_one_shows_the_nearest_page(string number)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await client.GetAsync("/alignment?page=" + Uri.EscapeDataString(number));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotEmpty(OrphanRows(page));
    }

    [Fact]
    public async Task The_page_needs_a_signed_in_user()
    {
        using var anonymous = new TestClient(factory);

        var page = await anonymous.GetAsync("/alignment");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.LocationPath);
    }

    private static string Pts(decimal points) => points.ToString("#,0.##", CultureInfo.InvariantCulture) + (points == 1m ? " pt" : " pts");
}
