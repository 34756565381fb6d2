using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace AlignmentHub.IntegrationTests.Dashboards;

/// <summary>
/// Brief §8 and issue 5: the heavy pages run a fixed number of SQL round trips whatever the data size, at most 5 when
/// nothing changed since the last read (the in-memory snapshot is current). Counted with a command interceptor on the
/// demo data and again after the product has grown.
/// </summary>
/// <remarks>
/// Every request also pays for its session (one query); the security-stamp check adds a few queries once a minute.
/// Each page is therefore measured three times and the smallest count is kept: a query per row would show in every one.
/// </remarks>
public sealed class QueryCountTests(QueryCountingFactory factory, ITestOutputHelper output) : IClassFixture<QueryCountingFactory>
{
    private const int MaxRoundTrips = 5;

    private async Task<int> RoundTripsAsync(TestClient client, string url)
    {
        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var commands = await factory.Counter.CountAsync(async () =>
            {
                var page = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            });
            counts.Add(commands.Count);
            if (i == 2)
            {
                output.WriteLine($"{url}: {string.Join(", ", counts)} round trips\n  " + string.Join("\n  ", commands.Select(c => c.ReplaceLineEndings(" ")[..Math.Min(160, c.Length)])));
            }
        }

        return counts.Min();
    }

    /// <summary>Round trips of a first read after a change: the snapshot is read again, still in a fixed number of queries.</summary>
    private async Task<int> ColdRoundTripsAsync(TestClient client, string url)
    {
        var counts = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            await TouchAsync();
            var commands = await factory.Counter.CountAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode));
            counts.Add(commands.Count);
        }

        return counts.Min();
    }

    /// <summary>A committed change somewhere, so the change counter moves.</summary>
    private Task TouchAsync() => factory.QueryAsync(async db =>
    {
        var team = await db.Teams.OrderBy(t => t.Id).FirstAsync();
        team.Edit(team.Name, Demo.UniqueTitle("Mission"));
        return await db.SaveChangesAsync();
    });

    /// <summary>Grows the demo product: 600 more items (two in three linked), 10 objectives with 3 key results and 12 check-ins each.</summary>
    private Task GrowAsync() => factory.QueryAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var teams = await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
        var goals = await db.Goals.Where(g => g.ProductId == Demo.ProductId && g.Rank != null).Select(g => g.Id).ToListAsync();
        var key = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;
        var periodId = await db.Periods.Where(p => p.Key == key).Select(p => p.Id).SingleAsync();
        var authorId = await db.Users.Where(u => u.Email == Demo.Admin).Select(u => u.Id).SingleAsync();

        var objectives = Enumerable.Range(0, 10).Select(i => new Objective(teams[i % teams.Count], periodId, $"Grown objective {i}", null, goals[i % goals.Count], null, null,
            Enumerable.Range(0, 3).Select(k => new KeyResultDefinition($"Grown KR {i}.{k}", MetricType.Number, MetricDirection.Increase, 0m, 100m)).ToList(), now.AddDays(-40))).ToList();
        db.Objectives.AddRange(objectives);
        await db.SaveChangesAsync();
        foreach (var kr in objectives.SelectMany(o => o.KeyResults))
        {
            for (var c = 0; c < 12; c++)
            {
                kr.RecordCheckIn(c * 5, 5 + (c % 5), null, authorId, "Admin", now.AddDays(-36 + (c * 3)));
            }
        }

        var items = Enumerable.Range(0, 600).Select(i =>
        {
            var item = new RoadmapItem(Demo.ProductId, teams[i % teams.Count], $"Grown item {i}", RoadmapItemKind.Feature, (RoadmapHorizon)(1 + (i % 3)), now);
            item.Estimate(1 + (i % 8), null, null, null);
            return item;
        }).ToList();
        db.RoadmapItems.AddRange(items);
        await db.SaveChangesAsync();
        var keyResults = objectives.SelectMany(o => o.KeyResults).ToList();
        foreach (var (item, i) in items.Select((x, i) => (x, i)).Where(x => x.i % 3 != 0))
        {
            item.LinkTo(i % 2 == 0 ? LinkTargetType.Goal : LinkTargetType.KeyResult, i % 2 == 0 ? goals[i % goals.Count] : keyResults[i % keyResults.Count].Id);
        }

        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Heavy_pages_run_a_fixed_number_of_round_trips_at_two_data_sizes()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var teamId = await factory.QueryAsync(db => db.Teams.OrderBy(t => t.Name).Select(t => t.Id).FirstAsync());
        var objectiveId = await factory.QueryAsync(db => db.Objectives.Where(o => o.Status == ObjectiveStatus.Active).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync());
        string[] pages =
        [
            "/dashboards",
            $"/dashboards/teams/{teamId}",
            "/roadmap?team=all",
            "/roadmap/list?sort=rice",
            "/roadmap/list?orphans=true",
            $"/okrs/objectives/{objectiveId}",
            "/okrs",
            $"/okrs?team={teamId}",
        ];

        var small = new Dictionary<string, (int Warm, int Cold)>();
        foreach (var url in pages)
        {
            small[url] = (await RoundTripsAsync(member, url), await ColdRoundTripsAsync(member, url));
        }

        await GrowAsync();

        foreach (var url in pages)
        {
            var warm = await RoundTripsAsync(member, url);
            var cold = await ColdRoundTripsAsync(member, url);
            output.WriteLine($"{url}: warm {small[url].Warm} → {warm}, after a change {small[url].Cold} → {cold}");
            Assert.True(warm <= MaxRoundTrips, $"{url} ran {warm} round trips (at most {MaxRoundTrips})");
            Assert.Equal(small[url].Warm, warm);
            Assert.Equal(small[url].Cold, cold);
        }
    }
}
