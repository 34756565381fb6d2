using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Alignment;

/// <summary>The Alignment page as asked for in the address; each value as typed (empty = the default).</summary>
/// <param name="Product">A product id; empty = the first product by name.</param>
/// <param name="Team">A team id filtering the orphan queue; empty = all teams.</param>
/// <param name="Page">The orphan queue's page, from 1.</param>
public sealed record GetAlignmentQuery(string? Product, string? Team, string? Page) : IQuery<AlignmentPage?>;

/// <summary>
/// Reads in a constant number of queries whatever the data size: products, the product's alignment graph (5), its
/// schedules and dependencies (2), teams, the periods of its objectives, the status and horizon of the orphans shown
/// (one page), the picker's team names, and the user's teams and products (at most 2). Everything else is computed in
/// memory by the domain's alignment rules.
/// </summary>
public sealed class GetAlignmentHandler(AppDbContext db, AlignmentGraphLoader loader, RoadmapAccess access) : IQueryHandler<GetAlignmentQuery, AlignmentPage?>
{
    private const int MaxDisplayedInput = 24;

    public async ValueTask<AlignmentPage?> Handle(GetAlignmentQuery query, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new ProductOption(p.Id, p.Name)).ToListAsync(cancellationToken);
        if (products.Count == 0)
        {
            return null;
        }

        var product = string.IsNullOrWhiteSpace(query.Product)
            ? products[0]
            : int.TryParse(query.Product.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var productId) && products.FirstOrDefault(p => p.Id == productId) is { } chosen
                ? chosen
                : throw new NotFoundException("The product");

        var graph = await loader.LoadAsync(product.Id, cancellationToken);
        var (schedules, dependencies) = await loader.LoadSchedulesAsync(product.Id, cancellationToken);
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        string TeamName(int teamId) => teamNames.GetValueOrDefault(teamId) ?? "No team";

        // Orphans, largest effort first (unestimated last), then by title for a stable order across pages.
        var orphans = graph.Orphans()
            .OrderByDescending(i => i.Effort ?? decimal.MinValue)
            .ThenBy(i => i.Title, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(i => i.Id)
            .ToList();
        var active = graph.Items.Where(i => i.Counts).ToList();

        var unsupportedObjectives = graph.UnsupportedObjectives().ToList();
        var unsupportedKeyResults = graph.UnsupportedKeyResults().ToList();
        var periodObjectiveIds = unsupportedObjectives.Select(o => o.Id).Concat(unsupportedKeyResults.Select(k => k.ObjectiveId)).Distinct().ToList();
        var periodOf = periodObjectiveIds.Count == 0
            ? []
            : await db.Objectives.AsNoTracking().Where(o => periodObjectiveIds.Contains(o.Id))
                .Select(o => new { o.Id, Key = db.Periods.Where(p => p.Id == o.PeriodId).Select(p => p.Key).FirstOrDefault() })
                .ToDictionaryAsync(o => o.Id, o => o.Key ?? "—", cancellationToken);

        var conflicts = Conflicts(graph, schedules, dependencies, TeamName);
        var summary = new AlignmentSummary(
            orphans.Count,
            orphans.Sum(EffortOf),
            active.Sum(EffortOf),
            active.Count,
            unsupportedObjectives.Count,
            unsupportedKeyResults.Count,
            conflicts.Count);

        var queue = await QueueAsync(query, product.Id, graph, orphans, schedules, teamNames, cancellationToken);

        return new AlignmentPage(
            product.Id,
            product.Name,
            products,
            summary,
            queue,
            unsupportedObjectives
                .Select(o => new UnsupportedObjectiveRow(o.Id, o.Title, TeamName(o.TeamId), periodOf.GetValueOrDefault(o.Id) ?? "—", GoalOf(graph, o.Id)))
                .OrderBy(o => o.Goal?.Rank ?? int.MaxValue).ThenBy(o => o.TeamName, StringComparer.CurrentCultureIgnoreCase).ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase)
                .ToList(),
            unsupportedKeyResults
                .Select(k => new UnsupportedKeyResultRow(k.Id, k.Title, k.ObjectiveId, graph.Objective(k.ObjectiveId)?.Title ?? "—",
                    TeamName(graph.Objective(k.ObjectiveId)?.TeamId ?? 0), periodOf.GetValueOrDefault(k.ObjectiveId) ?? "—", GoalOf(graph, k.ObjectiveId)))
                .OrderBy(k => k.Goal?.Rank ?? int.MaxValue).ThenBy(k => k.TeamName, StringComparer.CurrentCultureIgnoreCase)
                .ThenBy(k => k.ObjectiveTitle, StringComparer.CurrentCultureIgnoreCase).ThenBy(k => k.Id)
                .ToList(),
            conflicts);
    }

    /// <summary>Brief §3: an unestimated item counts as 1 pt.</summary>
    internal static decimal EffortOf(ItemNode item) => item.Effort ?? 1m;

    private async Task<OrphanQueue> QueueAsync(GetAlignmentQuery query, int productId, AlignmentGraph graph, List<ItemNode> orphans,
        List<ItemSchedule> schedules, Dictionary<int, string> teamNames, CancellationToken cancellationToken)
    {
        var perTeam = orphans.GroupBy(o => o.TeamId).ToDictionary(g => g.Key, g => g.Count());
        var teams = teamNames.Select(t => new TeamFilterOption(t.Key, t.Value, perTeam.GetValueOrDefault(t.Key)))
            .OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ToList();

        TeamFilterOption? team = null;
        string? notice = null;
        if (!string.IsNullOrWhiteSpace(query.Team))
        {
            team = int.TryParse(query.Team.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var teamId) ? teams.FirstOrDefault(t => t.Id == teamId) : null;
            if (team is null)
            {
                notice = $"There is no team “{Shorten(query.Team)}”. Showing the orphans of all teams instead.";
            }
        }

        var filtered = team is null ? orphans : orphans.Where(o => o.TeamId == team.Id).ToList();
        var pageCount = Math.Max(1, (filtered.Count + OrphanQueue.PageSize - 1) / OrphanQueue.PageSize);
        var pageNumber = int.TryParse(query.Page?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? Math.Min(p, pageCount) : 1;
        var shown = filtered.Skip((pageNumber - 1) * OrphanQueue.PageSize).Take(OrphanQueue.PageSize).ToList();

        // Status is not part of the graph: read it for the shown page only.
        var shownIds = shown.Select(o => o.Id).ToList();
        var statuses = shownIds.Count == 0
            ? []
            : await db.RoadmapItems.AsNoTracking().Where(i => shownIds.Contains(i.Id)).Select(i => new { i.Id, i.Status })
                .ToDictionaryAsync(i => i.Id, i => i.Status, cancellationToken);
        var horizons = schedules.ToDictionary(s => s.ItemId, s => s.Horizon);

        var rows = new List<OrphanRow>(shown.Count);
        foreach (var orphan in shown)
        {
            // RoadmapAccess caches the user's teams and products: two queries at most, whatever the number of rows.
            var canEdit = await access.CanEditItemAsync(productId, orphan.TeamId, cancellationToken);
            rows.Add(new OrphanRow(orphan.Id, orphan.Title, teamNames.GetValueOrDefault(orphan.TeamId) ?? "No team",
                statuses.GetValueOrDefault(orphan.Id), horizons.GetValueOrDefault(orphan.Id), orphan.Effort,
                AlignmentText.OrphanReasons(graph, orphan.Id), canEdit));
        }

        var canRelink = rows.Any(r => r.CanEdit);
        var targets = canRelink ? await LinkTargets.GroupsAsync(db, graph, cancellationToken) : [];
        return new OrphanQueue(teams, team, notice, rows, pageNumber, pageCount, filtered.Count, filtered.Sum(EffortOf), canRelink, targets);
    }

    private static AlignmentConflictList Conflicts(AlignmentGraph graph, List<ItemSchedule> schedules, List<(int ItemId, int BlockerId)> dependencies,
        Func<int, string> teamName)
    {
        ItemRef Item(int id) => graph.Item(id) is { } i ? new ItemRef(i.Id, i.Title, teamName(i.TeamId)) : new ItemRef(id, "(unknown item)", "—");

        var schedule = AlignmentConflicts.Schedule(schedules, dependencies)
            .Select(c => new ScheduleConflictRow(Item(c.ItemId), Item(c.BlockerId), c.Explanation))
            .OrderBy(c => c.Item.Title, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.Blocker.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        KeyResultRef KeyResult(KeyResultNode k) => new(k.Id, k.Title, k.ObjectiveId, teamName(graph.Objective(k.ObjectiveId)?.TeamId ?? 0), k.Direction);
        var metrics = AlignmentConflicts.Metrics(graph.KeyResults, objectiveId => graph.Objective(objectiveId)?.TeamId)
            .Select(c => new MetricConflictRow(c.MetricName, KeyResult(c.Up), KeyResult(c.Down)))
            .OrderBy(c => c.MetricName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.Up.Id).ThenBy(c => c.Down.Id)
            .ToList();

        var retired = AlignmentConflicts.LinkedOnlyToRetiredGoals(graph)
            .Select(i => new RetiredGoalConflictRow(Item(i.Id),
                graph.WhyChainsOf(i.Id).Select(c => c.GoalId).OfType<int>().Distinct().Select(g => graph.Goal(g)?.Title).OfType<string>()
                    .Order(StringComparer.CurrentCultureIgnoreCase).ToList()))
            .OrderBy(r => r.Item.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        return new AlignmentConflictList(schedule, metrics, retired);
    }

    /// <summary>The goal at the top of the objective's chain of parents, active or not (null when the chain reaches none).</summary>
    private static GoalRef? GoalOf(AlignmentGraph graph, int objectiveId)
    {
        var goalId = graph.ActiveGoalOf(objectiveId);
        if (goalId is null)
        {
            // Not justified: name the goal the chain ends at anyway, so the row says what it used to serve.
            var current = graph.Objective(objectiveId);
            for (var depth = 0; current is not null && depth < 50 && goalId is null; depth++)
            {
                goalId = current.GoalId;
                current = current.ParentObjectiveId is { } parent ? graph.Objective(parent) : null;
            }
        }

        return goalId is { } id && graph.Goal(id) is { } g ? new GoalRef(g.Id, g.Title, g.Rank, g.IsActive, g.IsRetired) : null;
    }

    /// <summary>What the user typed, fit to be quoted back: short, without control characters.</summary>
    private static string Shorten(string text)
    {
        var trimmed = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return trimmed.Length <= MaxDisplayedInput ? trimmed : trimmed[..MaxDisplayedInput] + "…";
    }
}
