using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Dashboards;

/// <summary>Home (brief §4): "my work" for a team member, the executive dashboard for an executive.</summary>
public sealed class HomeTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task A_team_member_sees_their_open_items_with_why_chains_and_their_teams_key_results_due_for_a_check_in()
    {
        var now = DateTimeOffset.UtcNow;
        var memberId = await factory.QueryAsync(db => db.Users.Where(u => u.Email == Demo.Member).Select(u => u.Id).SingleAsync());
        var expectedItems = await factory.QueryAsync(db => db.RoadmapItems
            .Where(i => i.OwnerId == memberId && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped && i.Status != RoadmapItemStatus.Shipped)
            .Select(i => i.Id).ToListAsync());
        var key = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;
        var keyResults = await factory.QueryAsync(db => db.KeyResults
            .Where(k => k.Status == KeyResultStatus.Active && k.Objective.Status == ObjectiveStatus.Active
                && db.Periods.Any(p => p.Id == k.Objective.PeriodId && p.Key == key)
                && db.TeamMemberships.Any(m => m.UserId == memberId && m.TeamId == k.Objective.TeamId))
            .Select(k => new { k.Id, k.LastCheckInAt, k.CreatedAt, k.CadenceDays })
            .ToListAsync());
        var expectedDue = keyResults.Where(k => Math.Floor((now - (k.LastCheckInAt ?? k.CreatedAt)).TotalDays) >= k.CadenceDays - 3).Select(k => k.Id).ToList();
        Assert.NotEmpty(expectedItems); // the demo gives the member items, so the test means something

        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var home = await member.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var shown = home.Document.QuerySelectorAll("[data-my-items] [data-item]").ToList();
        Assert.Equal(expectedItems.Order(), shown.Select(li => int.Parse(li.GetAttribute("data-item")!, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(shown, li => Assert.True(li.QuerySelector("[data-why-chain='active']") is not null || li.TextContent.Contains("Orphan", StringComparison.Ordinal)));
        var due = home.Document.QuerySelectorAll("[data-due-key-results] [data-key-result]")
            .Select(li => int.Parse(li.GetAttribute("data-key-result")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expectedDue.Order(), due.Order());
    }

    [Fact]
    public async Task An_executive_lands_on_the_executive_dashboard_and_an_admin_without_items_on_the_product_overview()
    {
        using var exec = await TestClient.SignedInAsync(factory, Demo.Executive);
        var home = await exec.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.NotNull(home.Document.QuerySelector("[data-figure='score']"));

        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var adminHome = await admin.GetAsync("/");
        Assert.Null(adminHome.Document.QuerySelector("[data-figure='score']"));
        Assert.Contains(Demo.ProductName, adminHome.Text, StringComparison.Ordinal);
    }
}
