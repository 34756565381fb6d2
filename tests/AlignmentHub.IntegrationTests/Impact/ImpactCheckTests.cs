using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.Impact.ImpactTestData;

namespace AlignmentHub.IntegrationTests.Impact;

/// <summary>
/// The impact check on the demo data, where nothing is applied: what the page lists (checked against an independent
/// calculation from the tables), validation, permissions, cancel, refusals; and the objective form's refusal to remove
/// a key result that roadmap items rely on.
/// </summary>
/// <remarks>No test of this class retires anything, so they share one application and database.</remarks>
public sealed class ImpactCheckTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string Nrr = "Grow net revenue retention";

    // ------------------------------------------------------------------ what the page lists

    [Fact]
    public async Task Retiring_a_goal_lists_exactly_the_items_and_objectives_that_would_lose_their_justification()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goalId = await factory.GoalIdAsync(Nrr);
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Goal, goalId);

        var page = await pm.GetAsync($"/products/1/goals/{goalId}/retire");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (items, objectives) = Listed(page);
        Assert.Equal(expected.Items.Order(), items.Order());
        Assert.Equal(expected.Objectives.Order(), objectives.Order());

        // The demo data as known: the three objectives under the goal (one through its parent), a direct link, and an
        // item that also serves another goal and so is not listed.
        Assert.Equal(3, objectives.Count);
        Assert.Contains(await factory.ItemIdAsync("Account expansion playbooks"), items);
        Assert.Contains(await factory.ItemIdAsync("Trial health score for sales"), items);
        Assert.DoesNotContain(await factory.ItemIdAsync("Sample data workspace for trials"), items);
        var child = await factory.ObjectiveIdAsync("Show customers the value they get from Beacon");
        Assert.Contains("follows its parent", page.Document.QuerySelector($"a[href='/okrs/objectives/{child}']")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Contains("follows its objective", page.Document.QuerySelector($"a[href='/roadmap/items/{await factory.ItemIdAsync("Trial health score for sales")}']")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("follows", page.Document.QuerySelector($"a[href='/roadmap/items/{await factory.ItemIdAsync("Account expansion playbooks")}']")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Contains(" pts", page.Document.QuerySelector("section[aria-labelledby='impact-items'] tbody")!.TextContent, StringComparison.Ordinal);

        // Neither the goal nor what hangs only from it is offered as a new target.
        var itemOptions = Options(page, "ItemTarget");
        Assert.DoesNotContain($"goal:{goalId}", itemOptions);
        Assert.DoesNotContain($"kr:{await factory.KeyResultIdAsync("Trial-to-paid conversion")}", itemOptions);
        Assert.Contains($"goal:{await factory.GoalIdAsync("New customers see value")}", itemOptions);
        var objectiveOptions = Options(page, "ObjectiveTarget");
        Assert.DoesNotContain($"goal:{goalId}", objectiveOptions);
        Assert.Contains($"goal:{await factory.GoalIdAsync("New customers see value")}", objectiveOptions);
        Assert.DoesNotContain($"objective:{await factory.ObjectiveIdAsync("Grow expansion revenue")}", objectiveOptions);
        Assert.NotNull(page.Document.QuerySelector("textarea[name='Reason']"));
    }

    [Fact]
    public async Task When_every_item_follows_its_objective_the_item_choice_is_only_for_retiring_the_objectives()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var cost = await factory.GoalIdAsync("Reduce cost to serve");
        var nrr = await factory.GoalIdAsync(Nrr);

        var page = await pm.GetAsync($"/products/1/goals/{cost}/retire");

        var items = page.Document.QuerySelector("section[aria-labelledby='impact-items']")!;
        Assert.Contains("nothing to choose for them", items.TextContent, StringComparison.Ordinal);
        var choice = items.QuerySelector("fieldset")!;
        Assert.Contains("impact-items-if-retired", choice.ClassName, StringComparison.Ordinal);
        Assert.StartsWith("If you retire the objectives too", choice.QuerySelector("legend")!.TextContent, StringComparison.Ordinal);
        // "Autoscaling for workers" shipped: dropping keeps its status, and the page says so beside the choice.
        Assert.Contains("Shipped items keep their status", choice.TextContent, StringComparison.Ordinal);

        // Where some items need a choice of their own, it is asked plainly.
        var other = (await pm.GetAsync($"/products/1/goals/{nrr}/retire")).Document.QuerySelector("section[aria-labelledby='impact-items'] fieldset")!;
        Assert.DoesNotContain("impact-items-if-retired", other.ClassName, StringComparison.Ordinal);
        Assert.Equal("What happens to these items?", other.QuerySelector("legend")!.TextContent.Trim());
    }

    [Fact]
    public async Task Retiring_an_objective_lists_its_items_and_the_objectives_below_it()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var objectiveId = await factory.ObjectiveIdAsync("Grow expansion revenue");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.Objective, objectiveId);

        var page = await pm.GetAsync($"/okrs/objectives/{objectiveId}/retire");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (items, objectives) = Listed(page);
        Assert.Equal(expected.Items.Order(), items.Order());
        Assert.Equal(expected.Objectives.Order(), objectives.Order());
        Assert.Equal(new[] { await factory.ObjectiveIdAsync("Show customers the value they get from Beacon") }, objectives);
        Assert.Contains(await factory.ItemIdAsync("Seat-based upgrade prompts"), items);
        Assert.Contains(await factory.ItemIdAsync("ROI report for support leads"), items); // through the objective below
        Assert.DoesNotContain(await factory.ItemIdAsync("Report builder v2"), items); // also serves another goal
        var itemOptions = Options(page, "ItemTarget");
        Assert.DoesNotContain($"objective:{objectiveId}", itemOptions);
        Assert.DoesNotContain($"kr:{await factory.KeyResultIdAsync("Net revenue retention")}", itemOptions);
        Assert.Contains($"kr:{await factory.KeyResultIdAsync("Trial-to-paid conversion")}", itemOptions);
        Assert.Contains("stop counting with it", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_a_key_result_lists_the_items_that_rely_on_it_alone()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var keyResultId = await factory.KeyResultIdAsync("Trial-to-paid conversion");
        var expected = await factory.ExpectedImpactAsync(LinkTargetType.KeyResult, keyResultId);

        var page = await member.GetAsync($"/okrs/key-results/{keyResultId}/retire");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (items, objectives) = Listed(page);
        Assert.Equal(expected.Items.Order(), items.Order());
        Assert.Equal(new[] { await factory.ItemIdAsync("Trial extension self-service"), await factory.ItemIdAsync("Trial health score for sales") }.Order(), items.Order());
        Assert.Empty(objectives);
        Assert.Null(page.Document.QuerySelector("section[aria-labelledby='impact-objectives']"));
        var options = Options(page, "ItemTarget");
        Assert.DoesNotContain($"kr:{keyResultId}", options);
        Assert.Contains($"kr:{await factory.KeyResultIdAsync("Support tickets per trial account")}", options);
    }

    [Fact]
    public async Task When_nothing_would_lose_its_justification_the_page_says_so_and_only_asks_for_confirmation()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var keyResultId = await factory.KeyResultIdAsync("Report load time");
        Assert.Empty((await factory.ExpectedImpactAsync(LinkTargetType.KeyResult, keyResultId)).Items);

        var page = await admin.GetAsync($"/okrs/key-results/{keyResultId}/retire");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Nothing loses its justification", page.Text, StringComparison.Ordinal);
        Assert.Empty(page.Document.QuerySelectorAll("input[type='radio'], select"));
        Assert.Equal("Retire key result", page.Document.QuerySelector("form.impact-form button[type='submit']")?.TextContent.Trim());
    }

    // ------------------------------------------------------------------ validation

    [Fact]
    public async Task Posting_without_choices_is_refused_beside_each_choice_and_changes_nothing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var url = $"/products/1/goals/{await factory.GoalIdAsync(Nrr)}/retire";
        var form = RetireForm(await pm.GetAsync(url), url);
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("re-align them or retire them", page.FieldError("ObjectiveChoice"), StringComparison.Ordinal);
        Assert.Contains("link them to another target or drop them", page.FieldError("ItemChoice"), StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Fact]
    public async Task Re_link_without_a_target_is_refused_and_the_choices_are_kept()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var url = $"/products/1/goals/{await factory.GoalIdAsync(Nrr)}/retire";
        var form = RetireForm(await pm.GetAsync(url), url).With("ObjectiveChoice", "relink").With("ItemChoice", "relink").With("Reason", "Typed reason");
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("Choose the goal or parent objective to re-align the objectives to.", page.FieldError("ObjectiveTarget"));
        Assert.Equal("Choose the goal, objective or key result to link the items to.", page.FieldError("ItemTarget"));
        Assert.True(page.Document.QuerySelector("#objective-relink")!.HasAttribute("checked"));
        Assert.True(page.Document.QuerySelector("#item-relink")!.HasAttribute("checked"));
        Assert.Equal("Typed reason", page.InputValue("Reason"));
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    public static TheoryData<string, string, string, string> InvalidTargets => new()
    {
        // objective target, item target, field with the message, part of the message
        { "goal:{goal2}", "kr:99999999", "ItemTarget", "would not reach an active goal" },
        { "goal:{goal2}", "goal:abc", "ItemTarget", "Choose a goal, objective or key result from the list." },
        { "goal:{goal2}", "goal:{subject}", "ItemTarget", "That is the goal being retired" },
        { "goal:{subject}", "goal:{goal2}", "ObjectiveTarget", "That is the goal being retired" },
        { "kr:{kr}", "goal:{goal2}", "ObjectiveTarget", "Choose a goal or an objective from the list." },
        { "goal:99999999", "goal:{goal2}", "ObjectiveTarget", "Choose an active goal from the list." },
        { "objective:{objective}", "goal:{goal2}", "ObjectiveTarget", "Choose an active objective of the same period" },
        { "goal:{retired}", "goal:{goal2}", "ObjectiveTarget", "Choose an active goal from the list." },
        { "goal:{goal2}", "goal:{retired}", "ItemTarget", "would not reach an active goal" },
    };

    [Theory]
    [MemberData(nameof(InvalidTargets))]
    public async Task An_invalid_target_is_refused_beside_its_field_and_changes_nothing(string objectiveTarget, string itemTarget, string field, string message)
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var subject = await factory.GoalIdAsync(Nrr);
        var values = new Dictionary<string, string>
        {
            ["{subject}"] = subject.Invariant(),
            ["{goal2}"] = (await factory.GoalIdAsync("New customers see value")).Invariant(),
            ["{retired}"] = (await factory.GoalIdAsync("Launch a partner app marketplace")).Invariant(),
            ["{kr}"] = (await factory.KeyResultIdAsync("Monthly uptime")).Invariant(),
            ["{objective}"] = (await factory.ObjectiveIdAsync("Turn more trials into paying customers")).Invariant(), // affected itself
        };
        string Fill(string text) => values.Aggregate(text, (t, v) => t.Replace(v.Key, v.Value, StringComparison.Ordinal));
        var url = $"/products/1/goals/{subject}/retire";
        var form = RetireForm(await pm.GetAsync(url), url)
            .With("ObjectiveChoice", "relink").With("ObjectiveTarget", Fill(objectiveTarget))
            .With("ItemChoice", "relink").With("ItemTarget", Fill(itemTarget));
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError(field), StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Fact]
    public async Task A_reason_that_is_too_long_is_refused_beside_it()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var url = $"/products/1/goals/{await factory.GoalIdAsync(Nrr)}/retire";
        var form = RetireForm(await pm.GetAsync(url), url).With("Reason", new string('x', 501)).With("ObjectiveChoice", "drop").With("ItemChoice", "drop");
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("The reason must be at most 500 characters.", page.FieldError("Reason"));
        Assert.Equal(new string('x', 501), page.InputValue("Reason"));
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    // ------------------------------------------------------------------ permissions and unknown ids

    [Theory]
    [InlineData(Demo.Member)]
    [InlineData(Demo.Executive)]
    public async Task Only_admins_and_the_products_managers_may_retire_a_goal(string email)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var goalId = await factory.GoalIdAsync(Nrr);
        var token = await client.GetTokenAsync("/");
        var before = await factory.ImpactFingerprintAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/products/1/goals/{goalId}/retire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/products/1/goals/{goalId}/achieve")).StatusCode);
        var post = await client.PostWithTokenAsync($"/products/1/goals/{goalId}/retire", token, [new("ObjectiveChoice", "drop"), new("ItemChoice", "drop"), new("Version", "0")]);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
        var details = await client.GetAsync($"/products/1/goals/{goalId}");
        Assert.Empty(details.Document.QuerySelectorAll("a[href$='/retire'], a[href$='/achieve']"));
    }

    [Fact]
    public async Task A_member_of_another_team_may_not_retire_an_objective_or_its_key_results()
    {
        using var sam = await TestClient.SignedInAsync(factory, "sam@alignmenthub.demo"); // Platform
        var objectiveId = await factory.ObjectiveIdAsync("Turn more trials into paying customers"); // Onboarding
        var keyResultId = await factory.KeyResultIdAsync("Trial-to-paid conversion");
        var token = await sam.GetTokenAsync("/");
        var before = await factory.ImpactFingerprintAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/okrs/objectives/{objectiveId}/retire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/okrs/key-results/{keyResultId}/retire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.PostWithTokenAsync($"/okrs/objectives/{objectiveId}/retire", token, [new("ItemChoice", "drop")])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.PostWithTokenAsync($"/okrs/key-results/{keyResultId}/retire", token, [new("ItemChoice", "drop")])).StatusCode);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
        var objectivePage = await sam.GetAsync($"/okrs/objectives/{objectiveId}");
        Assert.Empty(objectivePage.Document.QuerySelectorAll("a[href$='/retire']"));
    }

    [Fact]
    public async Task A_team_member_sees_which_affected_items_are_not_theirs_and_may_not_change_them()
    {
        using var noah = await TestClient.SignedInAsync(factory, "noah@alignmenthub.demo"); // Growth
        var objectiveId = await factory.ObjectiveIdAsync("Grow expansion revenue"); // Growth's, with an Insights objective and items below it
        var url = $"/okrs/objectives/{objectiveId}/retire";

        var page = await noah.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var roi = page.Document.QuerySelector($"a[href='/roadmap/items/{await factory.ItemIdAsync("ROI report for support leads")}']")!.ParentElement!.TextContent;
        var seats = page.Document.QuerySelector($"a[href='/roadmap/items/{await factory.ItemIdAsync("Seat-based upgrade prompts")}']")!.ParentElement!.TextContent;
        Assert.Contains("not yours to change", roi, StringComparison.Ordinal);
        Assert.DoesNotContain("not yours to change", seats, StringComparison.Ordinal);
        Assert.Contains("A product manager of Beacon can run this check", page.Text, StringComparison.Ordinal);

        var goal = await factory.GoalIdAsync(Nrr);
        var form = RetireForm(page, url).With("ObjectiveChoice", "drop").With("ItemChoice", "relink").With("ItemTarget", $"goal:{goal}");
        var before = await factory.ImpactFingerprintAsync();
        var post = await noah.PostRawAsync(url, form);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Theory]
    [InlineData("/products/1/goals/99999999/retire")]
    [InlineData("/products/1/goals/99999999/achieve")]
    [InlineData("/products/2/goals/{goal}/retire")]
    [InlineData("/okrs/objectives/99999999/retire")]
    [InlineData("/okrs/key-results/99999999/retire")]
    public async Task Unknown_ids_are_404(string url)
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        url = url.Replace("{goal}", (await factory.GoalIdAsync(Nrr)).Invariant(), StringComparison.Ordinal);
        var token = await admin.GetTokenAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostWithTokenAsync(url, token, [new("ItemChoice", "drop")])).StatusCode);
    }

    // ------------------------------------------------------------------ cancel and refusals

    [Fact]
    public async Task Cancel_goes_back_to_the_goal_and_changes_nothing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goalId = await factory.GoalIdAsync(Nrr);
        var details = await pm.GetAsync($"/products/1/goals/{goalId}");
        var retireLink = details.Document.QuerySelector($"a[href='/products/1/goals/{goalId}/retire']");
        Assert.NotNull(retireLink);
        Assert.NotNull(details.Document.QuerySelector($"a[href='/products/1/goals/{goalId}/achieve']"));
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.GetAsync(retireLink.GetAttribute("href")!);
        var cancel = page.Document.QuerySelectorAll("form.impact-form a.btn").Single(a => a.TextContent.Trim() == "Cancel");
        var back = await pm.GetAsync(cancel.GetAttribute("href")!);

        Assert.Equal($"/products/1/goals/{goalId}", cancel.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Fact]
    public async Task The_last_active_key_result_cannot_be_retired_the_page_points_to_the_objective_instead()
    {
        using var mia = await TestClient.SignedInAsync(factory, "mia@alignmenthub.demo"); // Insights
        var objectiveId = await factory.ObjectiveIdAsync("Self-serve analytics for support leads");
        var keyResultId = await factory.KeyResultIdAsync("Dashboards created by customers");
        var url = $"/okrs/key-results/{keyResultId}/retire";
        var before = await factory.ImpactFingerprintAsync();

        var page = await mia.GetAsync(url);
        var post = await mia.PostWithTokenAsync(url, await mia.GetTokenAsync("/"), [new("ItemChoice", "drop"), new("Version", "0")]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Retire the objective instead", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector($"a[href='/okrs/objectives/{objectiveId}/retire']"));
        Assert.Null(page.Document.QuerySelector("form.impact-form"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Contains("an objective needs at least one", post.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Fact]
    public async Task Retiring_a_goal_that_is_already_retired_says_so_instead_of_failing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goalId = await factory.GoalIdAsync("Launch a partner app marketplace");
        var token = await pm.GetTokenAsync("/");
        var before = await factory.ImpactFingerprintAsync();

        var page = await pm.GetAsync($"/products/1/goals/{goalId}/retire");
        var achieve = await pm.GetAsync($"/products/1/goals/{goalId}/achieve");
        var post = await pm.PostWithTokenAsync($"/products/1/goals/{goalId}/retire", token, [new("Version", "0")]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("This goal is already retired.", page.Text, StringComparison.Ordinal);
        Assert.Contains("only an active goal can be marked achieved", achieve.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Contains("This goal is already retired.", post.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
    }

    [Fact]
    public async Task The_objective_page_offers_retiring_the_objective_and_each_key_result_to_those_who_may_edit_it()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member); // Onboarding
        using var executive = await TestClient.SignedInAsync(factory, Demo.Executive);
        var objectiveId = await factory.ObjectiveIdAsync("Turn more trials into paying customers");
        var keyResultId = await factory.KeyResultIdAsync("Trial-to-paid conversion");

        var mine = await member.GetAsync($"/okrs/objectives/{objectiveId}");
        var read = await executive.GetAsync($"/okrs/objectives/{objectiveId}");

        Assert.NotNull(mine.Document.QuerySelector($"a[href='/okrs/objectives/{objectiveId}/retire']"));
        Assert.NotNull(mine.Document.QuerySelector($"#kr-{keyResultId} a[href='/okrs/key-results/{keyResultId}/retire']"));
        Assert.Empty(read.Document.QuerySelectorAll("a[href$='/retire']"));
    }

    // ------------------------------------------------------------------ the objective form

    [Fact]
    public async Task The_objective_form_refuses_to_remove_a_key_result_that_roadmap_items_rely_on()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var objectiveId = await factory.ObjectiveIdAsync("Turn more trials into paying customers");
        var keyResultId = await factory.KeyResultIdAsync("Trial-to-paid conversion");
        var relying = (await factory.ExpectedImpactAsync(LinkTargetType.KeyResult, keyResultId)).Items.Count;
        Assert.Equal(2, relying);
        var url = $"/okrs/objectives/{objectiveId}/edit";
        var form = HtmlForms.Form((await member.GetAsync(url)).Document, url);
        Assert.Equal(keyResultId.Invariant(), form["KeyResults[0].KeyResultId"]);
        var posted = WithoutRow(form, 0);
        var before = await factory.ImpactFingerprintAsync();

        var page = await member.PostRawAsync(url, posted);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("2 roadmap items rely on this key result. Retire it with the impact check first.", page.FieldError("KeyResults[1].KeyResultId"));
        var row = page.Document.QuerySelector("[data-valmsg-for='KeyResults[1].KeyResultId']")!.Closest("fieldset")!;
        Assert.Equal(keyResultId.Invariant(), row.QuerySelector("input[name='KeyResults[1].KeyResultId']")?.GetAttribute("value"));
        Assert.NotNull(row.QuerySelector($"a[href='/okrs/key-results/{keyResultId}/retire']"));
        Assert.Equal(before, await factory.ImpactFingerprintAsync());
        Assert.Equal(KeyResultStatus.Active, await factory.QueryAsync(db => db.KeyResults.Where(k => k.Id == keyResultId).Select(k => k.Status).SingleAsync()));
    }

    [Fact]
    public async Task The_objective_form_still_retires_a_removed_key_result_whose_items_have_another_reason()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var goalId = await factory.GoalIdAsync("New customers see value");
        var title = Demo.UniqueTitle("Impact form objective");
        var (objectiveId, removedId, itemId) = await factory.QueryAsync(async db =>
        {
            var team = await db.Teams.Where(t => t.Name == "Onboarding").Select(t => t.Id).SingleAsync();
            var period = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;
            var periodId = await db.Periods.Where(p => p.Key == period).Select(p => p.Id).SingleAsync();
            var objective = new Objective(team, periodId, title, null, goalId, null, null,
                [new("Leaving", MetricType.Number, MetricDirection.Increase, 1, 2), new("Staying", MetricType.Number, MetricDirection.Increase, 1, 2)], DateTimeOffset.UtcNow);
            var item = new RoadmapItem(Demo.ProductId, team, Demo.UniqueTitle("Item with two reasons"), RoadmapItemKind.Feature, RoadmapHorizon.Now, DateTimeOffset.UtcNow);
            db.Objectives.Add(objective);
            db.RoadmapItems.Add(item);
            await db.SaveChangesAsync();
            var leaving = objective.KeyResults.Single(k => k.Title == "Leaving");
            item.LinkTo(LinkTargetType.KeyResult, leaving.Id);
            item.LinkTo(LinkTargetType.Goal, goalId);
            await db.SaveChangesAsync();
            return (objective.Id, leaving.Id, item.Id);
        });
        var url = $"/okrs/objectives/{objectiveId}/edit";
        var form = HtmlForms.Form((await member.GetAsync(url)).Document, url);
        Assert.Equal(removedId.Invariant(), form["KeyResults[0].KeyResultId"]);

        var save = await member.PostRawAsync(url, WithoutRow(form, 0));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(KeyResultStatus.Retired, await factory.QueryAsync(db => db.KeyResults.Where(k => k.Id == removedId).Select(k => k.Status).SingleAsync()));
        Assert.Contains(itemId, await factory.AlignedItemsAsync());
    }

    private static List<string> Options(Page page, string select) =>
        page.Document.QuerySelectorAll($"select[name='{select}'] option").Select(o => o.GetAttribute("value") ?? string.Empty).Where(v => v.Length > 0).ToList();

    /// <summary>The form's fields without key-result row <paramref name="index"/>, the rows after it moved up (as the browser script does).</summary>
    private static List<KeyValuePair<string, string>> WithoutRow(Dictionary<string, string> form, int index)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in form)
        {
            if (!name.StartsWith("KeyResults[", StringComparison.Ordinal))
            {
                result.Add(new(name, value));
                continue;
            }

            var close = name.IndexOf(']', StringComparison.Ordinal);
            var row = int.Parse(name["KeyResults[".Length..close], System.Globalization.CultureInfo.InvariantCulture);
            if (row != index)
            {
                result.Add(new($"KeyResults[{(row > index ? row - 1 : row).Invariant()}]{name[(close + 1)..]}", value));
            }
        }

        return result;
    }
}
