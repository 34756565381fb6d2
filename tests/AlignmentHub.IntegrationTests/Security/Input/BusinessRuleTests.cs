using System.Net;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Okrs;
using AlignmentHub.IntegrationTests.RoadmapItems;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>
/// Checklist item 17, the cases the feature tests did not cover yet: a roadmap item linked to a goal, objective or key
/// result of another product (through the item page and through the new-item form), and a key result whose target
/// equals its baseline on the edit form. Covered elsewhere: target ≠ baseline and direction on the new-objective form
/// (ObjectiveEditingTests.A_broken_key_result_rule…), end ≥ start (ItemFormTests.Schedules_that_contradict…), check-in
/// range (CheckInTests.Bad_input…), key result moved to another period's objective and parent of another period
/// (ObjectiveEditingTests), relinking orphans to another product's goal (RelinkTests).
/// </summary>
public sealed class BusinessRuleTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string OtherProduct = "belongs to another product";

    /// <summary>A goal of a second product, an objective serving it and its key result.</summary>
    private async Task<(int Goal, int Objective, int KeyResult)> ArrangeOtherProductAsync()
    {
        var goal = await factory.QueryAsync(async db =>
        {
            var product = new Product(Demo.UniqueTitle("Other product"), null, DateTimeOffset.UtcNow);
            var g = product.AddGoal(Demo.UniqueTitle("Goal of another product"), null, null, GoalHorizon.ShortTerm);
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return g.Id;
        });
        var objective = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Serves another product"), goal, null, [ObjectiveEditingData.Increase("Other KR")]);
        var keyResult = await factory.QueryAsync(db => db.KeyResults.Where(k => k.ObjectiveId == objective).Select(k => k.Id).SingleAsync());
        return (goal, objective, keyResult);
    }

    private static string Target(string kind, (int Goal, int Objective, int KeyResult) other) => kind switch
    {
        "goal" => $"goal:{other.Goal.Invariant()}",
        "objective" => $"objective:{other.Objective.Invariant()}",
        _ => $"kr:{other.KeyResult.Invariant()}",
    };

    [Theory]
    [InlineData("goal")]
    [InlineData("objective")]
    [InlineData("kr")]
    public async Task Linking_an_item_to_another_products_goal_objective_or_key_result_is_refused_with_that_reason(string kind)
    {
        var other = await ArrangeOtherProductAsync();
        var item = await factory.ArrangeItemAsync("Onboarding", Demo.UniqueTitle("Beacon item"));
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var details = await admin.GetAsync(ItemTestData.ItemUrl(item));
        Assert.DoesNotContain(details.Document.QuerySelectorAll("select[name='Target'] option"), o => o.GetAttribute("value") == Target(kind, other));
        var before = await DbFingerprint.TakeAsync(factory);

        var page = await admin.PostWithTokenAsync(ItemTestData.ItemUrl(item) + "/links", await admin.GetTokenAsync("/"), [new("Target", Target(kind, other))]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(OtherProduct, page.FieldError("Target"), StringComparison.Ordinal);
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }

    [Theory]
    [InlineData("objective")]
    [InlineData("kr")]
    public async Task A_new_item_whose_why_is_another_products_objective_or_key_result_is_refused_beside_the_why_with_the_input_kept(string kind)
    {
        var other = await ArrangeOtherProductAsync();
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var title = Demo.UniqueTitle("Why elsewhere");
        var fields = ItemTestData.ValidFields(title, await factory.TeamIdAsync("Onboarding")).Set("Why", Target(kind, other));
        var before = await DbFingerprint.TakeAsync(factory);

        var page = await admin.PostFormAsync(ItemTestData.NewUrl, ItemTestData.NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(OtherProduct, page.FieldError("Why"), StringComparison.Ordinal);
        Assert.Equal(title, page.InputValue("Title"));
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }

    [Theory]
    [InlineData("10", "10", "The target must differ from the baseline.")]
    [InlineData("10", "10.000", "The target must differ from the baseline.")]
    [InlineData("20", "10", "For an increasing key result the target must be above the baseline.")]
    public async Task Editing_a_key_result_to_a_target_that_does_not_move_from_the_baseline_is_refused_beside_the_target(string baseline, string target, string message)
    {
        var objective = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Edit rules"), await factory.GoalIdAsync(2), null, [ObjectiveEditingData.Increase("Edited KR")]);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/okrs/objectives/{objective.Invariant()}/edit";
        var (token, fields) = HtmlForms.FormOf(await admin.GetAsync(url), url);
        fields.Set("KeyResults[0].Baseline", baseline).Set("KeyResults[0].Target", target).Set("formAction", "save");
        var before = await DbFingerprint.TakeAsync(factory);

        var page = await admin.PostWithTokenAsync(url, token, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal(message, page.FieldError("KeyResults[0].Target"));
        Assert.Equal(target, page.InputValue("KeyResults[0].Target"));
        Assert.Equal(before.Hash, (await DbFingerprint.TakeAsync(factory)).Hash);
    }
}
