using System.Globalization;
using System.Text.Json;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Dashboards;

/// <summary>The executive dashboard of a product (null = the first product by name).</summary>
public sealed record GetExecutiveDashboardQuery(int? ProductId) : IQuery<ExecutiveDashboard>;

/// <summary>A team's dashboard on a product (null = the first product by name).</summary>
public sealed record GetTeamDashboardQuery(int TeamId, int? ProductId) : IQuery<TeamDashboard>;

/// <summary>The signed-in user's first team, else the first team by name; null when there are no teams.</summary>
public sealed record GetDefaultTeamQuery : IQuery<int?>;

public sealed class GetDefaultTeamHandler(AppDbContext db, AlignmentHub.Web.Infrastructure.Security.ICurrentUser user) : IQueryHandler<GetDefaultTeamQuery, int?>
{
    public async ValueTask<int?> Handle(GetDefaultTeamQuery query, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        return await db.TeamMemberships.AsNoTracking().Where(m => m.UserId == userId)
                .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => t).OrderBy(t => t.Name).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>
/// The dashboards read the product's in-memory snapshot (one query for the change counter when nothing changed) plus
/// the product list and the alignment reviews: a fixed number of queries whatever the data size. Figures come from
/// the domain's <see cref="AlignmentMetrics"/>.
/// </summary>
public sealed class DashboardQueryHandlers(AppDbContext db, AlignmentGraphLoader loader, NavigationContext navigation, TimeProvider clock, ReadModelCache cache)
    : IQueryHandler<GetExecutiveDashboardQuery, ExecutiveDashboard>, IQueryHandler<GetTeamDashboardQuery, TeamDashboard>
{
    /// <summary>Rows of a list before "and n more".</summary>
    public const int ListLimit = 12;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask<ExecutiveDashboard> Handle(GetExecutiveDashboardQuery query, CancellationToken cancellationToken)
    {
        var products = await ProductsAsync(cancellationToken);
        var snapshot = await SnapshotAsync(query.ProductId, products, cancellationToken);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var figures = snapshot.Figures(now);
        var graph = snapshot.Graph;

        var goals = figures.EffortByGoal.Select(effort =>
        {
            var objectives = snapshot.Objectives.Where(o => o.GoalId == effort.GoalId).ToList();
            var progress = ProgressCalculator.WeightedMean(objectives.Select(o => (o.Title, o.Progress.RolledUp, o.Weight)).ToList(), "objectives aligned to this goal this quarter");
            return new GoalRow(effort.GoalId, effort.Rank, effort.Title, progress, objectives.Count, effort);
        }).ToList();

        var attention = Attention(snapshot, snapshot.KeyResults, now, today);
        // Whole-product scans are done once per snapshot, not once per request.
        var orphans = snapshot.Memo("dashboard:orphans", s => s.Graph.Orphans().Select(o => Summary(s, s.ItemsById[o.Id], true))
            .OrderByDescending(o => o.Effort).ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase).ToList());

        var reviews = await db.AlignmentReviews.AsNoTracking().Where(r => r.ProductId == snapshot.ProductId)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.Title, r.CreatedAt, r.AlignmentScore })
            .ToListAsync(cancellationToken);
        var trend = reviews.Select(r => new ScorePoint(r.Title, r.CreatedAt, r.AlignmentScore, r.Id)).ToList();
        trend.Add(new ScorePoint("Now", now, figures.Score, null));

        return new ExecutiveDashboard(
            snapshot.ProductId,
            snapshot.ProductName,
            products,
            snapshot.Period,
            (int)Math.Round(snapshot.Period.ElapsedShare(today) * 100m),
            figures,
            goals,
            snapshot.Memo("dashboard:heat-map", HeatMapOf),
            attention.Take(ListLimit).ToList(),
            attention.Count,
            orphans.Take(ListLimit).ToList(),
            orphans.Count,
            orphans.Sum(o => o.Effort),
            trend,
            JsonSerializer.Serialize(new
            {
                labels = goals.Select(g => $"#{g.Rank} {g.Title}").ToArray(),
                share = goals.Select(g => Math.Round(g.Effort.Share * 100m, 1)).ToArray(),
                inversion = goals.Select(g => g.Effort.IsInversion).ToArray(),
            }, Json),
            JsonSerializer.Serialize(new
            {
                labels = trend.Select(p => p.ReviewId is null ? "Now" : p.At.ToString("d MMM yyyy", CultureInfo.InvariantCulture)).ToArray(),
                score = trend.Select(p => p.Score).ToArray(),
            }, Json));
    }

    public async ValueTask<TeamDashboard> Handle(GetTeamDashboardQuery query, CancellationToken cancellationToken)
    {
        var products = await ProductsAsync(cancellationToken);
        var snapshot = await SnapshotAsync(query.ProductId, products, cancellationToken);
        if (!snapshot.TeamNames.TryGetValue(query.TeamId, out var teamName))
        {
            throw new NotFoundException("The team");
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var graph = snapshot.Graph;
        var stale = snapshot.StaleKeyResults(now);
        var figures = snapshot.Memo($"team:{query.TeamId}:figures:{string.Join(',', stale.Order())}", s => AlignmentMetrics.Compute(s.Graph, stale, query.TeamId));
        var focus = figures.EffortByGoal.Where(g => g.Effort > 0m).OrderByDescending(g => g.Effort).ToList();

        var goalById = graph.Goals.ToDictionary(g => g.Id);
        var keyResults = snapshot.KeyResults.Where(k => k.TeamId == query.TeamId).ToList();
        var objectives = snapshot.Objectives.Where(o => o.TeamId == query.TeamId)
            .Select(o =>
            {
                var goal = graph.ActiveGoalOf(o.Id) is { } g ? goalById[g] : o.GoalId is { } own ? goalById.GetValueOrDefault(own) : null;
                var krs = Attention(snapshot, keyResults.Where(k => k.ObjectiveId == o.Id), now, today, onlyFlagged: false)
                    .OrderBy(k => k.KeyResultId).ToList();
                return new TeamObjective(o.Id, o.Title, o.Progress, o.IsActive, goal?.Title, goal?.Rank, krs);
            })
            .OrderBy(o => o.GoalRank ?? int.MaxValue).ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var horizons = snapshot.Memo($"team:{query.TeamId}:horizons", s =>
        {
            var open = s.Items.Where(i => i.TeamId == query.TeamId && i.IsOpen).ToList();
            return Enum.GetValues<RoadmapHorizon>().Select(h =>
            {
                var items = open.Where(i => i.Horizon == h).OrderBy(i => i.BoardPosition).ThenBy(i => i.Id)
                    .Select(i => Summary(s, i, s.Graph.Item(i.Id) is { Counts: true } node && !s.Graph.IsAligned(node.Id))).ToList();
                return new HorizonSummary(h, items.Count, items.Sum(i => i.Effort), items.Count(i => i.IsOrphan), items.Take(8).ToList());
            }).ToList();
        });

        return new TeamDashboard(
            snapshot.ProductId,
            snapshot.ProductName,
            products,
            snapshot.Period,
            query.TeamId,
            teamName,
            snapshot.TeamNames.OrderBy(t => t.Value, StringComparer.CurrentCultureIgnoreCase).Select(t => new TeamChoice(t.Key, t.Value)).ToList(),
            figures,
            focus,
            objectives,
            horizons,
            JsonSerializer.Serialize(new
            {
                labels = focus.Select(g => $"#{g.Rank} {g.Title}").ToArray(),
                share = focus.Select(g => Math.Round(g.Share * 100m, 1)).ToArray(),
            }, Json));
    }

    /// <summary>
    /// Key results with their flags, worst first: off track, at risk, then behind, then stale. With
    /// <paramref name="onlyFlagged"/>, only those with at least one of these flags.
    /// </summary>
    private static List<AttentionRow> Attention(ProductSnapshot snapshot, IEnumerable<KeyResultRow> keyResults, DateTimeOffset now, DateOnly today, bool onlyFlagged = true) =>
        keyResults
            .Select(k => new AttentionRow(k.Id, k.Title, k.ObjectiveId, k.ObjectiveTitle, snapshot.TeamNames.GetValueOrDefault(k.TeamId) ?? "Team",
                k.Progress.RolledUp, k.Level, k.LatestConfidence, k.IsBehind(snapshot.Period, today), k.IsStale(now),
                (int)Math.Floor((now - (k.LastCheckInAt ?? k.CreatedAt)).TotalDays)))
            .Where(k => !onlyFlagged || k.Level is ConfidenceLevel.OffTrack or ConfidenceLevel.AtRisk || k.Behind || k.Stale)
            .OrderBy(k => k.Level switch { ConfidenceLevel.OffTrack => 0, ConfidenceLevel.AtRisk => 1, _ => 2 })
            .ThenByDescending(k => k.Behind)
            .ThenByDescending(k => k.Stale)
            .ThenBy(k => k.Progress)
            .ToList();

    /// <summary>Effort of each team's counting items per active goal (split evenly across the goals an item reaches) and unaligned.</summary>
    private static HeatMap HeatMapOf(ProductSnapshot snapshot)
    {
        var graph = snapshot.Graph;
        var goals = graph.Goals.Where(g => g.IsActive).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Id).ToList();
        var column = goals.Select((g, i) => (g.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var rows = new List<HeatRow>();
        foreach (var team in graph.Items.Where(i => i.Counts).GroupBy(i => i.TeamId))
        {
            var efforts = new decimal[goals.Count];
            var unaligned = 0m;
            foreach (var item in team)
            {
                var reached = graph.GoalsReachedBy(item.Id);
                var effort = AlignmentMetrics.EffortOf(item);
                if (reached.Count == 0)
                {
                    unaligned += effort;
                    continue;
                }

                foreach (var goalId in reached)
                {
                    efforts[column[goalId]] += effort / reached.Count;
                }
            }

            var total = efforts.Sum() + unaligned;
            HeatCell Cell(decimal e) => new(e, total == 0m ? 0m : e / total);
            rows.Add(new HeatRow(team.Key, snapshot.TeamNames.GetValueOrDefault(team.Key) ?? "Team", efforts.Select(Cell).ToList(), Cell(unaligned), total));
        }

        return new HeatMap(goals.Select(g => (g.Id, g.Rank, g.Title)).ToList(),
            rows.OrderBy(r => r.TeamName, StringComparer.CurrentCultureIgnoreCase).ToList());
    }

    private static ItemSummary Summary(ProductSnapshot snapshot, ItemRow item, bool isOrphan) =>
        new(item.Id, item.Title, snapshot.TeamNames.GetValueOrDefault(item.TeamId) ?? "Team", item.Status, item.Horizon,
            item.Effort is > 0m and { } e ? e : 1m, item.Effort is > 0m, isOrphan);

    // The product picker of both dashboards; shared, never changed by a reader (ADR 0005).
    private Task<List<ProductChoice>> ProductsAsync(CancellationToken cancellationToken) =>
        cache.GetOrReadAsync(db, "dashboard-products",
            () => db.Products.AsNoTracking().OrderBy(p => p.Name).Select(p => new ProductChoice(p.Id, p.Name)).ToListAsync(cancellationToken), cancellationToken);

    private async Task<ProductSnapshot> SnapshotAsync(int? productId, List<ProductChoice> products, CancellationToken cancellationToken)
    {
        var id = productId ?? (products.Count > 0 ? products[0].Id : await navigation.DefaultProductIdAsync())
            ?? throw new NotFoundException("The product");
        if (products.All(p => p.Id != id))
        {
            throw new NotFoundException("The product");
        }

        return await loader.SnapshotAsync(id, cancellationToken);
    }
}
