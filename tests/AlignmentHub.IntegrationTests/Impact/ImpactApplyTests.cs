using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.Impact;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.Impact.ImpactTestData;

namespace AlignmentHub.IntegrationTests.Impact;

/// <summary>
/// The impact check applied on the demo data: re-link, drop, mark achieved, and everything-or-nothing when something
/// changed in between (the subject, the affected set, or one affected item, which makes the one save fail).
/// </summary>
/// <remarks>Each test retires something of the demo product, so each has an application and database of its own.</remarks>
public sealed class ImpactApplyTests
{
    private const string Nrr = "Grow net revenue retention";
    private static readonly string[] DirectlyLinkedToNrr = ["Account expansion playbooks", "Custom metrics API", "Customer advisory board"];

    [Fact]
    public async Task Retiring_a_goal_re_aligns_its_objectives_and_re_links_the_other_items_in_one_go()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync(Nrr);
        var goal2 = await factory.GoalIdAsync("New customers see value");
        var goal3 = await factory.GoalIdAsync("The most reliable");
        var trials = await factory.ObjectiveIdAsync("Turn more trials into paying customers");
        var expansion = await factory.ObjectiveIdAsync("Grow expansion revenue");
        var child = await factory.ObjectiveIdAsync("Show customers the value they get from Beacon");
        var direct = new List<int>();
        foreach (var title in DirectlyLinkedToNrr)
        {
            direct.Add(await factory.ItemIdAsync(title));
        }

        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Goal, goal);
        var alignedBefore = await factory.AlignedItemsAsync();
        var url = $"/products/1/goals/{goal}/retire";
        var form = RetireForm(await pm.GetAsync(url), url).With("Reason", "Folded into the onboarding goal.")
            .With("ObjectiveChoice", "relink").With("ObjectiveTarget", $"goal:{goal2}")
            .With("ItemChoice", "relink").With("ItemTarget", $"goal:{goal3}");
        var audit = await factory.MaxAuditIdAsync();

        var save = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/products/1/goals/{goal}", save.LocationPath);
        var retired = await factory.GoalAsync(goal);
        Assert.Equal((GoalStatus.Retired, (int?)null, "Folded into the onboarding goal."), (retired.Status, retired.Rank, retired.RetirementReason));
        Assert.Equal(Enumerable.Range(1, 4), (await factory.RankedGoalsAsync()).Select(g => g.Rank!.Value));
        var objectives = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Where(o => o.Id == trials || o.Id == expansion || o.Id == child).ToDictionaryAsync(o => o.Id));
        Assert.Equal((goal2, (int?)null), (objectives[trials].GoalId!.Value, objectives[trials].ParentObjectiveId));
        Assert.Equal((goal2, (int?)null), (objectives[expansion].GoalId!.Value, objectives[expansion].ParentObjectiveId));
        Assert.Equal(((int?)null, expansion), (objectives[child].GoalId, objectives[child].ParentObjectiveId!.Value)); // follows its parent

        // Only the items with nothing else to follow got the new link; the old one stays as history.
        var relinked = new HashSet<int>();
        foreach (var item in expected.Items)
        {
            var links = await factory.LinksOfAsync(item);
            if (links.Contains((LinkTargetType.Goal, goal3)))
            {
                relinked.Add(item);
                Assert.Contains((LinkTargetType.Goal, goal), links);
            }
        }

        Assert.Equal(direct.Order(), relinked.Order());
        Assert.Superset(alignedBefore, await factory.AlignedItemsAsync()); // nothing that was aligned is an orphan now
        var rows = await factory.AuditAfterAsync(audit);
        Assert.Single(rows, a => a.EntityType == nameof(Goal) && a.EntityId == goal.Invariant() && a.Action == "Updated");
        Assert.Equal(new[] { expansion, trials }.Order().Select(i => i.Invariant()), rows.Where(a => a.EntityType == nameof(Objective)).Select(a => a.EntityId).Order());
        Assert.Equal(3, rows.Count(a => a.EntityType == nameof(RoadmapLink) && a.Action == "Created"));
        Assert.Equal(direct.Order().Select(i => i.Invariant()), rows.Where(a => a.EntityType == nameof(RoadmapItem)).Select(a => a.EntityId).Order());
        Assert.All(rows, a => Assert.Equal(Demo.ProductManager, a.UserName));

        var flash = (await pm.GetAsync(save.Location!)).Text;
        Assert.Contains($"Goal “{retired.Title}” retired. 2 objectives re-aligned to goal #1 “New customers see value within 7 days”; 1 objective followed its parent; "
            + $"3 roadmap items linked to goal #2 “The most reliable support platform in our category”; {expected.Items.Count - 3} roadmap items followed their objective.",
            flash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_an_objective_re_aligns_the_one_below_it_whose_items_follow_and_re_links_its_own_items()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync(Nrr);
        var expansion = await factory.ObjectiveIdAsync("Grow expansion revenue");
        var child = await factory.ObjectiveIdAsync("Show customers the value they get from Beacon");
        var target = await factory.KeyResultIdAsync("Trial-to-paid conversion");
        var roi = await factory.ItemIdAsync("ROI report for support leads");
        var seats = await factory.ItemIdAsync("Seat-based upgrade prompts");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Objective, expansion);
        var alignedBefore = await factory.AlignedItemsAsync();
        var url = $"/okrs/objectives/{expansion}/retire";
        var form = RetireForm(await pm.GetAsync(url), url)
            .With("ObjectiveChoice", "relink").With("ObjectiveTarget", $"goal:{goal}")
            .With("ItemChoice", "relink").With("ItemTarget", $"kr:{target}");

        var save = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{expansion}", save.LocationPath);
        var objectives = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Where(o => o.Id == expansion || o.Id == child).ToDictionaryAsync(o => o.Id));
        Assert.Equal(ObjectiveStatus.Retired, objectives[expansion].Status);
        Assert.Equal((goal, (int?)null, ObjectiveStatus.Active), (objectives[child].GoalId!.Value, objectives[child].ParentObjectiveId, objectives[child].Status));
        Assert.Contains((LinkTargetType.KeyResult, target), await factory.LinksOfAsync(seats));
        Assert.DoesNotContain((LinkTargetType.KeyResult, target), await factory.LinksOfAsync(roi)); // it followed its objective
        var relinked = 0;
        foreach (var item in expected.Items)
        {
            relinked += (await factory.LinksOfAsync(item)).Contains((LinkTargetType.KeyResult, target)) ? 1 : 0;
        }

        Assert.Superset(alignedBefore, await factory.AlignedItemsAsync());
        var flash = (await pm.GetAsync(save.Location!)).Text;
        Assert.Contains($"Objective “Grow expansion revenue” retired. 1 objective re-aligned to goal #1 “Grow net revenue retention to 115 %”; "
            + $"{relinked} roadmap items linked to key result “Trial-to-paid conversion”; {expected.Items.Count - relinked} roadmap items followed their objective.",
            flash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_a_key_result_re_links_the_items_that_relied_on_it()
    {
        await using var factory = new AlignmentHubFactory();
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var keyResult = await factory.KeyResultIdAsync("Trial-to-paid conversion");
        var target = await factory.KeyResultIdAsync("Support tickets per trial account");
        var objective = await factory.ObjectiveIdAsync("Turn more trials into paying customers");
        var objectiveVersion = await factory.QueryAsync(db => db.Objectives.Where(o => o.Id == objective).Select(o => o.Version).SingleAsync());
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.KeyResult, keyResult);
        var alignedBefore = await factory.AlignedItemsAsync();
        var url = $"/okrs/key-results/{keyResult}/retire";
        var form = RetireForm(await member.GetAsync(url), url).With("ItemChoice", "relink").With("ItemTarget", $"kr:{target}");
        var audit = await factory.MaxAuditIdAsync();

        var save = await member.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{objective}", save.LocationPath);
        Assert.Equal(KeyResultStatus.Retired, await factory.QueryAsync(db => db.KeyResults.Where(k => k.Id == keyResult).Select(k => k.Status).SingleAsync()));
        Assert.Equal(objectiveVersion + 1, await factory.QueryAsync(db => db.Objectives.Where(o => o.Id == objective).Select(o => o.Version).SingleAsync()));
        Assert.Equal(2, expected.Items.Count);
        foreach (var item in expected.Items)
        {
            Assert.Contains((LinkTargetType.KeyResult, target), await factory.LinksOfAsync(item));
        }

        Assert.Superset(alignedBefore, await factory.AlignedItemsAsync());
        var rows = await factory.AuditAfterAsync(audit);
        Assert.Single(rows, a => a.EntityType == nameof(KeyResult) && a.EntityId == keyResult.Invariant());
        Assert.Equal(2, rows.Count(a => a.EntityType == nameof(RoadmapLink) && a.Action == "Created"));
        Assert.All(rows, a => Assert.Equal(Demo.Member, a.UserName));
        Assert.Contains("Key result “Trial-to-paid conversion” retired. 2 roadmap items linked to key result “Support tickets per trial account”.",
            (await member.GetAsync(save.Location!)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropping_retires_the_objectives_and_sets_the_items_to_dropped()
    {
        await using var factory = new AlignmentHubFactory();
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var goal = await factory.GoalIdAsync("Win the mid-market");
        var objective = await factory.ObjectiveIdAsync("Open the German and French mid-market");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Goal, goal);
        var alignedBefore = await factory.AlignedItemsAsync();
        Assert.Equal(new[] { objective }, expected.Objectives);
        Assert.Contains(await factory.ItemIdAsync("Italian localisation"), expected.Items);
        var url = $"/products/1/goals/{goal}/retire";
        var form = RetireForm(await admin.GetAsync(url), url).With("ObjectiveChoice", "drop").With("ItemChoice", "drop");

        var save = await admin.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(GoalStatus.Retired, (await factory.GoalAsync(goal)).Status);
        Assert.Equal(ObjectiveStatus.Retired, await factory.QueryAsync(db => db.Objectives.Where(o => o.Id == objective).Select(o => o.Status).SingleAsync()));
        var statuses = await factory.QueryAsync(db => db.RoadmapItems.Where(i => expected.Items.Contains(i.Id)).Select(i => i.Status).ToListAsync());
        Assert.Equal(expected.Items.Count, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(RoadmapItemStatus.Dropped, s));
        Assert.Superset(alignedBefore.Except(expected.Items).ToHashSet(), await factory.AlignedItemsAsync());
        Assert.Contains($"Goal “Win the mid-market in Germany and France” retired. 1 objective retired; {expected.Items.Count} roadmap items dropped.",
            (await admin.GetAsync(save.Location!)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropping_keeps_shipped_items_shipped_and_says_so()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync("Reduce cost to serve");
        var shipped = await factory.ItemIdAsync("Autoscaling for workers");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Goal, goal);
        Assert.Contains(shipped, expected.Items);
        var shippedAt = await factory.QueryAsync(db => db.RoadmapItems.Where(i => i.Id == shipped).Select(i => i.ShippedAt).SingleAsync());
        var url = $"/products/1/goals/{goal}/retire";
        var form = RetireForm(await pm.GetAsync(url), url).With("ObjectiveChoice", "drop").With("ItemChoice", "drop");

        var save = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var items = await factory.QueryAsync(db => db.RoadmapItems.Where(i => expected.Items.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => (i.Status, i.ShippedAt)));
        Assert.Equal((RoadmapItemStatus.Shipped, shippedAt), items[shipped]);
        Assert.All(items.Where(i => i.Key != shipped), i => Assert.Equal(RoadmapItemStatus.Dropped, i.Value.Status));
        Assert.Contains($"{expected.Items.Count - 1} roadmap items dropped; 1 shipped roadmap item kept its status",
            (await pm.GetAsync(save.Location!)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marking_a_goal_achieved_re_aligns_its_objective_and_the_items_follow_without_a_choice_of_their_own()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync("Reduce cost to serve");
        var goal3 = await factory.GoalIdAsync("The most reliable");
        var objective = await factory.ObjectiveIdAsync("Cut infrastructure cost per ticket");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Goal, goal);
        var alignedBefore = await factory.AlignedItemsAsync();
        var links = await factory.QueryAsync(db => db.RoadmapLinks.CountAsync());
        var url = $"/products/1/goals/{goal}/achieve";
        var page = await pm.GetAsync(url);
        Assert.Null(page.Document.QuerySelector("textarea[name='Reason']"));
        var form = RetireForm(page, url).With("ObjectiveChoice", "relink").With("ObjectiveTarget", $"goal:{goal3}");

        var save = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var achieved = await factory.GoalAsync(goal);
        Assert.Equal((GoalStatus.Achieved, (int?)null), (achieved.Status, achieved.Rank));
        Assert.Equal(goal3, await factory.QueryAsync(db => db.Objectives.Where(o => o.Id == objective).Select(o => o.GoalId!.Value).SingleAsync()));
        Assert.Equal(links, await factory.QueryAsync(db => db.RoadmapLinks.CountAsync()));
        Assert.Superset(alignedBefore, await factory.AlignedItemsAsync());
        Assert.Contains($"Goal “Reduce cost to serve by 20 %” marked achieved. 1 objective re-aligned to goal #3 “The most reliable support platform in our category”; "
            + $"{expected.Items.Count} roadmap items followed their objective.", (await pm.GetAsync(save.Location!)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_something_nothing_relies_on_needs_only_a_confirmation()
    {
        await using var factory = new AlignmentHubFactory();
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var keyResult = await factory.KeyResultIdAsync("Report load time");
        var alignedBefore = await factory.AlignedItemsAsync();
        var url = $"/okrs/key-results/{keyResult}/retire";

        var save = await admin.PostRawAsync(url, RetireForm(await admin.GetAsync(url), url));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(KeyResultStatus.Retired, await factory.QueryAsync(db => db.KeyResults.Where(k => k.Id == keyResult).Select(k => k.Status).SingleAsync()));
        Assert.Equal(alignedBefore, await factory.AlignedItemsAsync());
        Assert.Contains("Key result “Report load time” retired.", (await admin.GetAsync(save.Location!)).Text, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ everything or nothing

    [Fact]
    public async Task A_goal_changed_since_the_page_was_shown_applies_nothing_and_the_page_can_be_reviewed_and_sent_again()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync(Nrr);
        var url = $"/products/1/goals/{goal}/retire";
        var form = Choices(RetireForm(await pm.GetAsync(url), url), await factory.GoalIdAsync("New customers see value"), await factory.GoalIdAsync("The most reliable"));
        await factory.QueryAsync(async db =>
        {
            var product = await db.Products.Include(p => p.Goals).SingleAsync(p => p.Id == Demo.ProductId);
            var stored = product.Goals.Single(g => g.Id == goal);
            stored.Edit(stored.Title, "Changed by someone else meanwhile.", stored.SuccessMetric, stored.Horizon);
            return await db.SaveChangesAsync();
        });
        var before = await factory.ImpactFingerprintAsync();

        var stale = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains(ImpactChangedException.Text, stale.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
        Assert.True(stale.Document.QuerySelector("#item-relink")!.HasAttribute("checked"));

        var again = await pm.PostRawAsync(url, RetireForm(stale, url));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(GoalStatus.Retired, (await factory.GoalAsync(goal)).Status);
    }

    [Fact]
    public async Task An_item_that_starts_relying_on_the_goal_meanwhile_applies_nothing_and_shows_the_new_list()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync(Nrr);
        var goal3 = await factory.GoalIdAsync("The most reliable");
        var orphan = await factory.ItemIdAsync("Welcome video library");
        var url = $"/products/1/goals/{goal}/retire";
        var form = Choices(RetireForm(await pm.GetAsync(url), url), await factory.GoalIdAsync("New customers see value"), goal3);
        await factory.QueryAsync(async db =>
        {
            (await db.RoadmapItems.SingleAsync(i => i.Id == orphan)).LinkTo(LinkTargetType.Goal, goal);
            return await db.SaveChangesAsync();
        });
        var before = await factory.ImpactFingerprintAsync();

        var changed = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Contains(ImpactChangedException.Text, changed.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
        Assert.Contains(orphan, Listed(changed).Items);

        var again = await pm.PostRawAsync(url, RetireForm(changed, url));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains((LinkTargetType.Goal, goal3), await factory.LinksOfAsync(orphan));
    }

    [Fact]
    public async Task When_one_affected_item_cannot_be_saved_neither_the_goal_nor_anything_else_changes()
    {
        await using var factory = new AlignmentHubFactory();
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = await factory.GoalIdAsync(Nrr);
        var item = await factory.ItemIdAsync(DirectlyLinkedToNrr[^1]);
        var url = $"/products/1/goals/{goal}/retire";
        var form = Choices(RetireForm(await pm.GetAsync(url), url), await factory.GoalIdAsync("New customers see value"), await factory.GoalIdAsync("The most reliable"));

        // Someone edits one of the items to be re-linked between the page and the POST: the affected set is the same,
        // so the check goes ahead, and that item's save (checked against the version the page showed) fails.
        await factory.QueryAsync(async db =>
        {
            var stored = await db.RoadmapItems.SingleAsync(i => i.Id == item);
            stored.Edit(stored.Title + " (renamed)", stored.Description, stored.Kind, stored.TeamId, stored.OwnerId, stored.ExternalKey);
            return await db.SaveChangesAsync();
        });
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(ImpactChangedException.Text, page.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync()); // goal, ranks, objectives, items, links and audit all as they were
        Assert.Equal(GoalStatus.Active, (await factory.GoalAsync(goal)).Status);
    }

    private static Dictionary<string, string> Choices(Dictionary<string, string> form, int objectivesTo, int itemsTo) =>
        form.With("ObjectiveChoice", "relink").With("ObjectiveTarget", $"goal:{objectivesTo}").With("ItemChoice", "relink").With("ItemTarget", $"goal:{itemsTo}");
}
