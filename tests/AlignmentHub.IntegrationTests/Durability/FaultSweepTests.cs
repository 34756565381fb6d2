using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Alignment;
using AlignmentHub.IntegrationTests.Impact;
using AlignmentHub.IntegrationTests.RoadmapViews;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Security checklist F.27: multi-row saves are all or nothing. For each operation the same request is sent again and
/// again with step n of its save failing (n = 1, 2, … every write command, every command inside its transaction, and
/// the commit), until n is past the last step and the save goes through. After every failed attempt: every business
/// table and the audit trail exactly as before, and a friendly page (the form with a message, or the error page)
/// that shows nothing of the fault.
/// </summary>
public sealed class FaultSweepTests(AlignmentHubFactory factory, ITestOutputHelper output) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task Creating_an_objective_with_three_key_results_keeps_nothing_when_any_step_fails()
    {
        var fault = new NthCommandFault();
        using var host = WithFault(factory, fault);
        using var admin = await TestClient.SignedInAsync(host, Demo.Admin);
        var title = Demo.UniqueTitle("All or nothing objective");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Title", title), new("Description", "Three key results in one save."), new("TeamId", (await factory.TeamIdAsync("Onboarding")).Invariant()),
            new("Period", Demo.CurrentPeriodKey), new("AlignTo", "Goal"), new("GoalId", (await factory.RankedGoalsAsync())[0].Id.Invariant()),
            new("ParentObjectiveId", string.Empty), new("OwnerId", string.Empty), new("Weight", "1"),
        };
        for (var k = 0; k < 3; k++)
        {
            fields.AddRange(KeyResultRow(k, $"{title} KR {k + 1}"));
        }

        var token = await admin.GetTokenAsync("/okrs/objectives/new");

        var (steps, saved) = await SweepAsync(factory, fault, "objective + 3 KRs", () => admin.PostWithTokenAsync("/okrs/objectives/new", token, fields));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var objective = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleAsync(o => o.Title == title));
        Assert.Equal(3, objective.KeyResults.Count);
        Assert.True(steps >= 3, $"expected the objective, its key results and their audit rows in several steps, saw {steps}");
    }

    [Fact]
    public async Task Bulk_re_link_keeps_no_link_when_any_step_fails()
    {
        var fault = new NthCommandFault();
        using var host = WithFault(factory, fault);
        using var admin = await TestClient.SignedInAsync(host, Demo.Admin);
        var kr = await factory.KeyResultIdAsync("Monthly uptime");
        var orphans = new List<int>();
        foreach (var team in new[] { "Platform", "Growth", "Onboarding" })
        {
            orphans.Add(await factory.ArrangeItemAsync(team, Demo.UniqueTitle("Sweep orphan"), 3m));
        }

        var token = await admin.GetTokenAsync("/alignment");
        var fields = new List<KeyValuePair<string, string>> { new("ProductId", Demo.ProductId.Invariant()), new("Team", string.Empty), new("Page", "1"), new("Target", $"kr:{kr}") };
        fields.AddRange(orphans.Select(id => new KeyValuePair<string, string>("ItemIds", id.Invariant())));

        var (steps, saved) = await SweepAsync(factory, fault, "re-link", () => admin.PostWithTokenAsync("/alignment/relink", token, fields));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        foreach (var id in orphans)
        {
            Assert.True(await factory.HasLinkAsync(id, LinkTargetType.KeyResult, kr), $"item {id} not linked after the successful save");
        }

        Assert.True(steps >= 2, $"saw only {steps} steps");
    }

    [Fact]
    public async Task Retiring_a_goal_with_its_impact_applied_keeps_nothing_when_any_step_fails()
    {
        // Its own application: the retirement changes the demo goals other tests of this class rely on.
        await using var own = new AlignmentHubFactory();
        var fault = new NthCommandFault();
        using var host = WithFault(own, fault);
        using var pm = await TestClient.SignedInAsync(host, Demo.ProductManager);
        var goal = await ImpactTestData.GoalIdAsync(own, "Grow net revenue retention");
        var url = $"/products/1/goals/{goal}/retire";
        var form = ImpactTestData.RetireForm(await pm.GetAsync(url), url)
            .With("Reason", "Folded into onboarding.")
            .With("ObjectiveChoice", "relink").With("ObjectiveTarget", $"goal:{await ImpactTestData.GoalIdAsync(own, "New customers see value")}")
            .With("ItemChoice", "relink").With("ItemTarget", $"goal:{await ImpactTestData.GoalIdAsync(own, "The most reliable")}");

        var (steps, saved) = await SweepAsync(own, fault, "impact apply", () => pm.PostRawAsync(url, form));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(GoalStatus.Retired, (await own.GoalAsync(goal)).Status);
        Assert.True(steps >= 5, $"saw only {steps} steps");
    }

    [Fact]
    public async Task A_board_move_that_renumbers_the_column_keeps_nothing_when_any_step_fails()
    {
        var fault = new NthCommandFault();
        using var host = WithFault(factory, fault);
        using var admin = await TestClient.SignedInAsync(host, Demo.Admin);

        // No room between neighbours: the move renumbers the whole Later column in the same save.
        await RoadmapData.ChangeAsync(factory, async db =>
        {
            var column = await db.RoadmapItems.Where(i => i.ProductId == Demo.ProductId && i.Horizon == RoadmapHorizon.Later)
                .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).ToListAsync();
            for (var k = 0; k < column.Count; k++)
            {
                column[k].MoveOnBoard(RoadmapHorizon.Later, k + 1);
            }
        });
        var later = RoadmapData.Column(await RoadmapData.ItemsAsync(factory), RoadmapHorizon.Later);
        Assert.True(later.Count >= 3);
        var item = later[^1];
        var token = await admin.GetTokenAsync("/roadmap");
        var fields = new Dictionary<string, string>
        {
            ["Horizon"] = "Later",
            ["BeforeItemId"] = later[1].Id.Invariant(),
            ["Version"] = item.Version.ToString(CultureInfo.InvariantCulture),
            ["returnQuery"] = "product=1&team=all",
        };

        var (steps, saved) = await SweepAsync(factory, fault, "board move", () => admin.PostWithTokenAsync($"/roadmap/items/{item.Id}/move", token, fields));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = RoadmapData.Column(await RoadmapData.ItemsAsync(factory), RoadmapHorizon.Later);
        Assert.Equal(item.Id, after[1].Id);
        Assert.True(steps >= 2, $"saw only {steps} steps");
    }

    /// <summary>A second host on the fixture's database with the fault on its DbContext.</summary>
    private static WebApplicationFactory<Program> WithFault(AlignmentHubFactory factory, NthCommandFault fault) =>
        factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddDbContextInterceptor(fault.Commands).AddDbContextInterceptor(fault.Commits)));

    /// <summary>Sends the request with step 1, 2, … failing until one goes through; returns the number of steps and that response.</summary>
    private async Task<(int Steps, Page Saved)> SweepAsync(AlignmentHubFactory database, NthCommandFault fault, string what, Func<Task<Page>> send)
    {
        var statuses = new List<int>();
        for (var n = 1; n <= 300; n++)
        {
            var before = await database.FingerprintAsync();
            fault.Arm(n);
            Page page;
            try
            {
                page = await send();
            }
            finally
            {
                fault.Disarm();
            }

            if (!fault.Fired)
            {
                output.WriteLine($"{what}: {n - 1} steps, each failed once, then saved ({(int)page.StatusCode}); failed attempts answered {string.Join(",", statuses)}. Steps: " + string.Join(" ‖ ", fault.Steps.Select(t => t[..Math.Min(40, t.Length)])));
                return (n - 1, page);
            }

            statuses.Add((int)page.StatusCode);
            Assert.True(before == await database.FingerprintAsync(), $"{what}: failing step {n} ({fault.Steps[^1]}) left a partial change behind");
            AssertFriendly(page, $"{what}, step {n}");
        }

        throw new InvalidOperationException($"{what}: the save never went through.");
    }

    private static void AssertFriendly(Page page, string what)
    {
        Assert.True(page.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict or HttpStatusCode.InternalServerError,
            $"{what}: answered {(int)page.StatusCode}");
        Assert.DoesNotContain(NthCommandFault.Secret, page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("DbException", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page.Html, StringComparison.Ordinal);
        if (page.StatusCode == HttpStatusCode.InternalServerError)
        {
            Assert.Contains("Something went wrong", page.Document.QuerySelector("h1")?.TextContent, StringComparison.Ordinal);
        }
        else
        {
            // The form again, with a message saying what happened.
            Assert.NotNull(page.Document.QuerySelector(".alert, .validation-summary-errors, [data-valmsg-for]"));
            Assert.NotNull(page.Document.QuerySelector("main form"));
        }
    }

    private static List<KeyValuePair<string, string>> KeyResultRow(int index, string title)
    {
        var prefix = $"KeyResults[{index}].";
        return
        [
            new(prefix + "KeyResultId", string.Empty), new(prefix + "Version", string.Empty), new(prefix + "Title", title),
            new(prefix + "MetricName", string.Empty), new(prefix + "MetricType", nameof(MetricType.Number)), new(prefix + "Direction", nameof(MetricDirection.Increase)),
            new(prefix + "Baseline", "10"), new(prefix + "Target", (20 + index).Invariant()), new(prefix + "BandLow", string.Empty), new(prefix + "BandHigh", string.Empty),
            new(prefix + "Unit", string.Empty), new(prefix + "CurrencyCode", string.Empty), new(prefix + "Weight", "1"), new(prefix + "CadenceDays", "14"),
        ];
    }
}
