using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.RoadmapItems;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Goals;

public sealed record GoalRow(int Id, string Title, string? Description, string? SuccessMetric, GoalHorizon Horizon, GoalStatus Status, int? Rank, long Version);

public sealed record GoalList(int ProductId, string ProductName, long ProductVersion, IReadOnlyList<GoalRow> Ranked, IReadOnlyList<GoalRow> Inactive, bool CanEdit);

public sealed record GetGoalsQuery(int ProductId) : IQuery<GoalList>;

public sealed class GetGoalsHandler(AppDbContext db, StrategyAccess access) : IQueryHandler<GetGoalsQuery, GoalList>
{
    public async ValueTask<GoalList> Handle(GetGoalsQuery query, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == query.ProductId)
            .Select(p => new { p.Name, p.Version }).SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The product");
        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == query.ProductId)
            .OrderBy(g => g.Rank == null).ThenBy(g => g.Rank).ThenBy(g => g.Title)
            .Select(g => new GoalRow(g.Id, g.Title, g.Description, g.SuccessMetric, g.Horizon, g.Status, g.Rank, g.Version))
            .ToListAsync(cancellationToken);
        return new GoalList(query.ProductId, product.Name, product.Version,
            goals.Where(g => g.Rank.HasValue).ToList(), goals.Where(g => !g.Rank.HasValue).ToList(),
            await access.CanEditStrategyAsync(query.ProductId, cancellationToken));
    }
}

public sealed record GoalDetail(int ProductId, string ProductName, GoalRow Goal, int ActiveGoalCount, bool CanEdit, GoalTree? Tree = null);

public sealed record GetGoalQuery(int ProductId, int GoalId) : IQuery<GoalDetail>;

public sealed class GetGoalHandler(AppDbContext db, StrategyAccess access) : IQueryHandler<GetGoalQuery, GoalDetail>
{
    public async ValueTask<GoalDetail> Handle(GetGoalQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var goal = await db.Goals.AsNoTracking().Where(g => g.Id == query.GoalId && g.ProductId == query.ProductId)
            .Select(g => new GoalRow(g.Id, g.Title, g.Description, g.SuccessMetric, g.Horizon, g.Status, g.Rank, g.Version))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The goal");
        var activeCount = await db.Goals.CountAsync(g => g.ProductId == query.ProductId && g.Rank != null, cancellationToken);
        return new GoalDetail(query.ProductId, productName, goal, activeCount, await access.CanEditStrategyAsync(query.ProductId, cancellationToken));
    }
}

/// <summary>An objective of the current period serving the goal, directly or through its parent objective.</summary>
public sealed record GoalObjectiveRow(int Id, string Title, string TeamName, ObjectiveStatus Status, Progress Progress, string? ViaParent);

/// <summary>A roadmap item under a goal; <see cref="Via"/> says how it reaches the goal ("linked directly", "via key result “…”").</summary>
public sealed record GoalItemRow(int Id, string Title, string TeamName, RoadmapItemStatus Status, RoadmapHorizon Horizon, decimal? Effort, string Via);

public sealed record GoalItemGroup(string Label, IReadOnlyList<GoalItemRow> Items)
{
    public decimal Effort => Items.Sum(i => i.Effort ?? 0m);

    public int Unestimated => Items.Count(i => i.Effort is null);
}

/// <summary>
/// The tree under a goal (brief §3 "every goal shows the tree down to the items"): the current period's objectives
/// serving it, and the active items that reach it (directly or through its objectives and key results), grouped by
/// team or horizon. For a goal that is no longer active, <see cref="StillLinked"/> lists the active items whose links
/// end at it (they count towards nothing).
/// </summary>
public sealed record GoalTree(
    string PeriodKey,
    IReadOnlyList<GoalObjectiveRow> Objectives,
    bool GroupedByHorizon,
    IReadOnlyList<GoalItemGroup> Groups,
    IReadOnlyList<GoalItemRow> StillLinked,
    bool CanAddItems)
{
    public int ItemCount => Groups.Sum(g => g.Items.Count);

    public decimal Effort => Groups.Sum(g => g.Effort);

    public int Unestimated => Groups.Sum(g => g.Unestimated);
}

/// <param name="GroupBy">"horizon" groups the items by Now / Next / Later; anything else by team.</param>
public sealed record GetGoalTreeQuery(int ProductId, int GoalId, string? GroupBy) : IQuery<GoalTree>;

/// <summary>
/// A fixed number of queries whatever the roadmap's size: the product's alignment graph (its own fixed set), the current
/// period, its objectives serving the goal with their key results, team names, and the status and horizon of the items.
/// </summary>
public sealed class GetGoalTreeHandler(AppDbContext db, AlignmentGraphLoader graphs, RoadmapAccess roadmap, TimeProvider clock) : IQueryHandler<GetGoalTreeQuery, GoalTree>
{
    public async ValueTask<GoalTree> Handle(GetGoalTreeQuery query, CancellationToken cancellationToken)
    {
        var graph = await graphs.LoadAsync(query.ProductId, cancellationToken);
        var goal = graph.Goal(query.GoalId) ?? throw new NotFoundException("The goal");
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        string Team(int id) => teamNames.GetValueOrDefault(id) ?? "—";

        // Objectives of the current period whose chain of parents ends at this goal (whatever the goal's status).
        var periodKey = Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Key;
        var serving = graph.Objectives.Where(o => GoalAbove(graph, o.Id) == goal.Id).Select(o => o.Id).ToList();
        var objectives = serving.Count == 0 ? [] : await db.Objectives.AsNoTracking().Include(o => o.KeyResults)
            .Where(o => serving.Contains(o.Id) && o.Status != ObjectiveStatus.Retired && db.Periods.Any(p => p.Id == o.PeriodId && p.Key == periodKey))
            .ToListAsync(cancellationToken);
        var objectiveRows = objectives
            .OrderBy(o => o.GoalId == goal.Id ? 0 : 1).ThenBy(o => Team(o.TeamId), StringComparer.CurrentCultureIgnoreCase).ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase)
            .Select(o => new GoalObjectiveRow(o.Id, o.Title, Team(o.TeamId), o.Status, o.Progress(),
                o.GoalId == goal.Id ? null : o.ParentObjectiveId is { } p ? graph.Objective(p)?.Title : null))
            .ToList();

        // Items: those that reach the goal while it is active; for an inactive goal, those whose links still end at it.
        var reaching = goal.IsActive
            ? graph.Items.Where(i => i.Counts && graph.GoalsReachedBy(i.Id).Contains(goal.Id)).ToList()
            : [];
        var stillLinked = goal.IsActive
            ? []
            : graph.Items.Where(i => i.Counts && graph.WhyChainsOf(i.Id).Any(c => c.GoalId == goal.Id)).ToList();
        var ids = reaching.Concat(stillLinked).Select(i => i.Id).ToList();
        var details = ids.Count == 0 ? [] : await db.RoadmapItems.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, i.Status, i.Horizon })
            .ToListAsync(cancellationToken);
        var byId = details.ToDictionary(d => d.Id);
        GoalItemRow Row(ItemNode i) => new(i.Id, i.Title, Team(i.TeamId), byId[i.Id].Status, byId[i.Id].Horizon, i.Effort, Via(graph, i.Id, goal.Id));

        var rows = reaching.Where(i => byId.ContainsKey(i.Id)).Select(Row).ToList();
        var byHorizon = string.Equals(query.GroupBy, "horizon", StringComparison.OrdinalIgnoreCase);
        var groups = byHorizon
            ? rows.GroupBy(r => r.Horizon).OrderBy(g => g.Key)
                .Select(g => new GoalItemGroup(ItemText.Horizon(g.Key), g.OrderBy(r => r.TeamName, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase).ToList()))
                .ToList()
            : rows.GroupBy(r => r.TeamName).OrderBy(g => g.Key, StringComparer.CurrentCultureIgnoreCase)
                .Select(g => new GoalItemGroup(g.Key, g.OrderBy(r => r.Horizon).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase).ToList()))
                .ToList();
        var still = stillLinked.Where(i => byId.ContainsKey(i.Id)).Select(Row).OrderBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new GoalTree(periodKey, objectiveRows, byHorizon, groups, still, roadmap.MayEditSomeItems);
    }

    /// <summary>The goal at the top of an objective's chain of parents, whatever the statuses on the way.</summary>
    private static int? GoalAbove(AlignmentGraph graph, int objectiveId)
    {
        var current = graph.Objective(objectiveId);
        for (var depth = 0; current is not null && depth < 50; depth++)
        {
            if (current.GoalId is { } goalId)
            {
                return goalId;
            }

            current = current.ParentObjectiveId is { } parent ? graph.Objective(parent) : null;
        }

        return null;
    }

    /// <summary>How an item reaches the goal, in words: its most direct link that ends there.</summary>
    private static string Via(AlignmentGraph graph, int itemId, int goalId)
    {
        var links = graph.LinksOf(itemId).ToList();
        var chains = graph.WhyChainsOf(itemId);
        var reaching = links.Zip(chains).Where(x => x.Second.GoalId == goalId).Select(x => x.First)
            .OrderBy(l => l.TargetType switch { LinkTargetType.Goal => 0, LinkTargetType.Objective => 1, _ => 2 })
            .FirstOrDefault();
        return reaching?.TargetType switch
        {
            LinkTargetType.Goal => "linked directly",
            LinkTargetType.Objective => $"via objective “{graph.Objective(reaching.TargetId)?.Title}”",
            LinkTargetType.KeyResult => $"via key result “{graph.KeyResult(reaching.TargetId)?.Title}”",
            _ => "linked",
        };
    }
}

public static class GoalText
{
    public static string Horizon(GoalHorizon horizon) => horizon switch
    {
        GoalHorizon.ShortTerm => "Short term (≤ 2 quarters)",
        GoalHorizon.MidTerm => "Mid term (this year)",
        GoalHorizon.LongTerm => "Long term (beyond a year)",
        _ => "—",
    };

    public static string ShortHorizon(GoalHorizon horizon) => horizon switch
    {
        GoalHorizon.ShortTerm => "Short term",
        GoalHorizon.MidTerm => "Mid term",
        GoalHorizon.LongTerm => "Long term",
        _ => "—",
    };
}
