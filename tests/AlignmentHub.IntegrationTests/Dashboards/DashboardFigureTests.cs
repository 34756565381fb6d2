using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Dashboards;

/// <summary>
/// Every dashboard figure against a hand calculation on a small product of its own, and the dashboards after writes.
/// </summary>
/// <remarks>
/// The fixture: goals #1, #2, #3; team One's objective (serving #1) with key result A (0 → 100, checked in at 50) and
/// key result B (0 → 10, never checked in, created 30 days ago: stale). Items: I1 (One, 4 pts) → A; I2 (One, 6 pts) →
/// #1 and #2 (3 + 3); I3 (Two, unestimated = 1 pt) → #3; I4 (Two, 10 pts) → #3; I5 (Two, 5 pts) → nothing;
/// I6 (Two, 100 pts) → #2 but dropped.
/// </remarks>
public sealed class DashboardFigureTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private sealed record Fixture(int ProductId, int[] Goals, int TeamOne, int TeamTwo, int ObjectiveId, int KeyResultA, int KeyResultB, Dictionary<string, int> Items);

    private async Task<Fixture> ArrangeAsync()
    {
        var period = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow));
        return await factory.QueryAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var product = new Product(Demo.UniqueTitle("Dashboard fixture"), null, now);
            var goals = new[] { "First", "Second", "Third" }.Select(t => product.AddGoal($"{t} goal", null, null, GoalHorizon.ShortTerm)).ToArray();
            var one = new Team(Demo.UniqueTitle("One"), null);
            var two = new Team(Demo.UniqueTitle("Two"), null);
            db.Products.Add(product);
            db.Teams.AddRange(one, two);
            await db.SaveChangesAsync();

            var periodId = await db.Periods.Where(p => p.Key == period.Key).Select(p => p.Id).SingleAsync();
            var objective = new Objective(one.Id, periodId, "Fixture objective", null, goals[0].Id, null, null,
            [
                new KeyResultDefinition("KR A", MetricType.Number, MetricDirection.Increase, 0m, 100m),
                new KeyResultDefinition("KR B", MetricType.Number, MetricDirection.Increase, 0m, 10m),
            ], now.AddDays(-30));
            db.Objectives.Add(objective);
            await db.SaveChangesAsync();
            var authorId = await db.Users.Where(u => u.Email == Demo.Admin).Select(u => u.Id).SingleAsync();
            var a = objective.KeyResults.Single(k => k.Title == "KR A");
            var b = objective.KeyResults.Single(k => k.Title == "KR B");
            a.RecordCheckIn(50m, 8, null, authorId, "Admin", now);

            RoadmapItem Item(string title, Team team, decimal? effort)
            {
                var item = new RoadmapItem(product.Id, team.Id, title, RoadmapItemKind.Feature, RoadmapHorizon.Now, now);
                item.Estimate(effort, null, null, null);
                return item;
            }

            var items = new[] { Item("I1", one, 4m), Item("I2", one, 6m), Item("I3", two, null), Item("I4", two, 10m), Item("I5", two, 5m), Item("I6", two, 100m) };
            db.RoadmapItems.AddRange(items);
            await db.SaveChangesAsync();
            items[0].LinkTo(LinkTargetType.KeyResult, a.Id);
            items[1].LinkTo(LinkTargetType.Goal, goals[0].Id);
            items[1].LinkTo(LinkTargetType.Goal, goals[1].Id);
            items[2].LinkTo(LinkTargetType.Goal, goals[2].Id);
            items[3].LinkTo(LinkTargetType.Goal, goals[2].Id);
            items[5].LinkTo(LinkTargetType.Goal, goals[1].Id);
            items[5].ChangeStatus(RoadmapItemStatus.Dropped, now);
            await db.SaveChangesAsync();
            return new Fixture(product.Id, goals.Select(g => g.Id).ToArray(), one.Id, two.Id, objective.Id, a.Id, b.Id, items.ToDictionary(i => i.Title, i => i.Id));
        });
    }

    private static string Figure(IParentNode scope, string name) =>
        scope.QuerySelector($"[data-figure='{name}']")?.TextContent.Trim() ?? throw new InvalidOperationException($"No figure {name}");

    private static string Squash(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task Executive_dashboard_figures_match_the_hand_calculation()
    {
        var f = await ArrangeAsync();
        using var exec = await TestClient.SignedInAsync(factory, Demo.Executive);

        var page = await exec.GetAsync($"/dashboards?product={f.ProductId}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var d = page.Document;
        // 50 × 21/26 + 20 × (1 − 1/3) + 15 × 1/2 + 15 × (1 − 2/3) = 40.38 + 13.33 + 7.5 + 5 = 66.2
        Assert.Equal("66.2", Figure(d, "score"));
        Assert.Equal("80.8 %", Figure(d, "coverage")); // 21 of 26 pts
        Assert.Equal("80 %", Figure(d, "coverage-by-count")); // 4 of 5 items
        Assert.Equal("1 of 3", Squash(Figure(d, "unsupported"))); // KR B of {objective, KR A, KR B}
        Assert.Equal("50 %", Figure(d, "freshness")); // KR B stale
        Assert.Equal("33.3 %", Figure(d, "priority-fit")); // #3 beats #1 and #2: 2 inversions of 3 pairs

        string[] GoalRow(int goal) =>
        [
            Figure(d.QuerySelector($"tr[data-goal='{goal}']")!, "goal-effort"),
            Figure(d.QuerySelector($"tr[data-goal='{goal}']")!, "goal-share"),
        ];
        Assert.Equal(["7 pts", "33.3 %"], GoalRow(f.Goals[0])); // I1 4 + half of I2 3
        Assert.Equal(["3 pts", "14.3 %"], GoalRow(f.Goals[1])); // half of I2; I6 is dropped
        Assert.Equal(["11 pts", "52.4 %"], GoalRow(f.Goals[2])); // I3 1 (unestimated) + I4 10
        Assert.Contains("Inversion", d.QuerySelector($"tr[data-goal='{f.Goals[2]}']")!.TextContent);
        Assert.DoesNotContain("Inversion", d.QuerySelector($"tr[data-goal='{f.Goals[0]}']")!.TextContent);
        // Goal #1's progress: its one objective = mean of KR A 50 % and KR B 0 % = 25 %.
        Assert.Contains("25 %", d.QuerySelector($"tr[data-goal='{f.Goals[0]}'] .progress-figure")!.TextContent);

        IEnumerable<string> Heat(int team) => d.QuerySelectorAll($"tr[data-team='{team}'] [data-figure='heat']").Select(c => c.ChildNodes[0].TextContent.Trim());
        Assert.Equal(["7 pts", "3 pts", "–"], Heat(f.TeamOne));
        Assert.Equal(["–", "–", "11 pts"], Heat(f.TeamTwo));
        Assert.Equal("5 pts", Figure(d.QuerySelector($"tr[data-team='{f.TeamTwo}']")!, "heat-unaligned"));
        Assert.Equal("16 pts", Figure(d.QuerySelector($"tr[data-team='{f.TeamTwo}']")!, "heat-total"));

        Assert.Equal([f.Items["I5"]], d.QuerySelectorAll("[data-orphan]").Select(o => int.Parse(o.GetAttribute("data-orphan")!, System.Globalization.CultureInfo.InvariantCulture)));
        var attention = d.QuerySelector($"[data-key-result='{f.KeyResultB}']");
        Assert.NotNull(attention);
        Assert.Contains("Stale", attention.TextContent);
        Assert.Null(d.QuerySelector($"[data-key-result='{f.KeyResultA}']")); // on track (8/10) and checked in; behind only late in a quarter
    }

    [Fact]
    public async Task Team_dashboard_figures_match_the_hand_calculation()
    {
        var f = await ArrangeAsync();
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);

        var two = (await member.GetAsync($"/dashboards/teams/{f.TeamTwo}?product={f.ProductId}")).Document;
        var one = (await member.GetAsync($"/dashboards/teams/{f.TeamOne}?product={f.ProductId}")).Document;

        Assert.Equal("68.8 %", Figure(two, "coverage")); // 11 of 16 pts
        Assert.Equal("66.7 %", Figure(two, "coverage-by-count")); // I3, I4 of I3, I4, I5
        Assert.StartsWith("1", Figure(two, "focus")); // #3 only
        Assert.Equal("0 of 0", Squash(Figure(two, "unsupported")));
        Assert.Equal("100 %", Figure(one, "coverage")); // I1 4 + I2 6
        Assert.StartsWith("2", Figure(one, "focus")); // #1 (7 pts) and #2 (3 pts)
        Assert.Equal("1 of 3", Squash(Figure(one, "unsupported")));
        Assert.Contains("Fixture objective", one.QuerySelector("#team-okrs-title")!.ParentElement!.ParentElement!.TextContent);
        var now = one.QuerySelector("[data-horizon='Now']")!.TextContent;
        Assert.Contains("2 items · 10 pts", Squash(now));
    }

    [Fact]
    public async Task After_a_check_in_and_a_re_link_the_next_dashboard_read_shows_them()
    {
        var f = await ArrangeAsync();
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/dashboards?product={f.ProductId}";
        Assert.Equal("66.2", Figure((await admin.GetAsync(url)).Document, "score"));

        // A check-in on the stale key result, through the page: freshness 50 % → 100 %.
        var objectiveUrl = $"/okrs/objectives/{f.ObjectiveId}";
        var token = await admin.GetTokenAsync(objectiveUrl);
        var checkIn = await admin.PostWithTokenAsync($"/okrs/key-results/{f.KeyResultB}/check-ins", token,
            [new("Value", "10"), new("Confidence", "9"), new("Note", "")]);
        Assert.Equal(HttpStatusCode.Redirect, checkIn.StatusCode);

        var afterCheckIn = (await admin.GetAsync(url)).Document;
        Assert.Equal("100 %", Figure(afterCheckIn, "freshness"));
        Assert.Equal("73.7", Figure(afterCheckIn, "score")); // 40.38 + 13.33 + 15 + 5

        // A re-link of the orphan I5 (5 pts) to goal #1: coverage 26 of 26 pts, and #1 gets 12 pts, more than #3 (11).
        await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Links).SingleAsync(i => i.Id == f.Items["I5"]);
            item.LinkTo(LinkTargetType.Goal, f.Goals[0]);
            return await db.SaveChangesAsync();
        });

        var afterRelink = (await admin.GetAsync(url)).Document;
        Assert.Equal("100 %", Figure(afterRelink, "coverage"));
        Assert.Empty(afterRelink.QuerySelectorAll("[data-orphan]"));
        // Effort #1 = 12, #2 = 3, #3 = 11: one inversion (#3 over #2) of 3 pairs → fit 66.7 %.
        Assert.Equal("66.7 %", Figure(afterRelink, "priority-fit"));
        // 50 × 1 + 13.33 + 15 + 15 × 2/3 = 50 + 13.33 + 15 + 10 = 88.3
        Assert.Equal("88.3", Figure(afterRelink, "score"));
    }

    [Fact]
    public async Task Unknown_product_and_team_answer_404()
    {
        using var exec = await TestClient.SignedInAsync(factory, Demo.Executive);

        Assert.Equal(HttpStatusCode.NotFound, (await exec.GetAsync("/dashboards?product=999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await exec.GetAsync("/dashboards/teams/999999")).StatusCode);
    }
}
