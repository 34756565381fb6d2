using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>
/// Pages keep what they read until the change counter moves (ADR 0005): the OKR list, the layout's product, the
/// dashboards' product picker and each user's memberships. A change committed by anyone else — here straight through a
/// DbContext of the test, as another instance would — shows on the very next request.
/// </summary>
public sealed class ReadModelFreshnessTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_okr_list_shows_a_change_made_elsewhere_on_the_next_request()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var objective = await factory.QueryAsync(db => db.Objectives.AsNoTracking()
            .Where(o => o.Status == ObjectiveStatus.Active).OrderBy(o => o.Id).Select(o => new { o.Id, o.TeamId, o.PeriodId }).FirstAsync());
        var periodKey = (await factory.QueryAsync(db => db.Periods.AsNoTracking().SingleAsync(p => p.Id == objective.PeriodId))).Key;
        var url = $"/okrs?period={periodKey}&team={objective.TeamId}";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode); // read and kept

        var title = Demo.UniqueTitle("Renamed elsewhere");
        await factory.QueryAsync(async db =>
        {
            var entity = await db.Objectives.SingleAsync(o => o.Id == objective.Id);
            entity.Edit(title, entity.Description, entity.GoalId, entity.ParentObjectiveId, entity.OwnerId);
            return await db.SaveChangesAsync();
        });

        var html = (await client.GetAsync(url)).Html;
        Assert.Contains(title, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_a_team_elsewhere_takes_edit_rights_away_on_the_next_request()
    {
        var memberId = await factory.UserIdAsync(Demo.Member);
        var objective = await factory.QueryAsync(db => db.Objectives.AsNoTracking()
            .Where(o => o.Status == ObjectiveStatus.Active && db.TeamMemberships.Any(m => m.TeamId == o.TeamId && m.UserId == memberId))
            .OrderBy(o => o.Id).Select(o => new { o.Id, o.TeamId }).FirstAsync());
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var edit = $"href=\"/okrs/objectives/{objective.Id}/edit\"";
        Assert.Contains(edit, await HtmlAsync(client, $"/okrs/objectives/{objective.Id}"), StringComparison.Ordinal);

        await SetMembershipAsync(objective.TeamId, memberId, member: false);
        try
        {
            Assert.DoesNotContain(edit, await HtmlAsync(client, $"/okrs/objectives/{objective.Id}"), StringComparison.Ordinal);
        }
        finally
        {
            await SetMembershipAsync(objective.TeamId, memberId, member: true);
        }

        Assert.Contains(edit, await HtmlAsync(client, $"/okrs/objectives/{objective.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_saves_reads_the_counter_again()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = await ReadModelCache.RequestStampAsync(db, CancellationToken.None);
        Assert.Equal(before, await ReadModelCache.RequestStampAsync(db, CancellationToken.None)); // one reading per request

        var team = await db.Teams.OrderBy(t => t.Id).FirstAsync();
        team.Edit(team.Name, Demo.UniqueTitle("Mission"));
        await db.SaveChangesAsync();

        // A reading older than its own write would serve this request the data from before it.
        Assert.True(await ReadModelCache.RequestStampAsync(db, CancellationToken.None) > before);
    }

    [Fact]
    public async Task A_pooled_context_forgets_the_last_requests_reading_of_the_counter()
    {
        Guid instance;
        long first;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            instance = db.ContextId.InstanceId;
            first = await ReadModelCache.RequestStampAsync(db, CancellationToken.None);
        }

        // Changed through another host (its own pool), as another instance would: no context of this pool commits.
        using (var other = factory.WithWebHostBuilder(_ => { }))
        {
            await using var scope = other.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var team = await db.Teams.OrderBy(t => t.Id).FirstAsync();
            team.Edit(team.Name, Demo.UniqueTitle("Mission"));
            await db.SaveChangesAsync();
        }

        // The same context instance, leased again for another request, must read the counter afresh.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (db.ContextId.InstanceId == instance)
            {
                Assert.True(db.ContextId.Lease > 0, "the context is pooled");
                Assert.True(await ReadModelCache.RequestStampAsync(db, CancellationToken.None) > first);
                return;
            }
        }

        Assert.Fail("The pool never handed out the first context again.");
    }

    private static async Task<string> HtmlAsync(TestClient client, string url)
    {
        var page = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return page.Html;
    }

    private Task SetMembershipAsync(int teamId, string userId, bool member) => factory.QueryAsync(async db =>
    {
        var team = await db.Teams.Include(t => t.Members).SingleAsync(t => t.Id == teamId);
        if (member)
        {
            team.AddMember(userId);
        }
        else
        {
            team.RemoveMember(userId);
        }

        return await db.SaveChangesAsync();
    });
}
