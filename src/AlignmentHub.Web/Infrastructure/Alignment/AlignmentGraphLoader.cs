using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Alignment;

/// <summary>
/// Loads one product's strategy and roadmap as an <see cref="AlignmentGraph"/> in a fixed number of set-based queries
/// (goals, objectives, key results, items, links), whatever the data size.
/// </summary>
public sealed class AlignmentGraphLoader(AppDbContext db, TimeProvider clock)
{
    public async Task<AlignmentGraph> LoadAsync(int productId, CancellationToken cancellationToken)
    {
        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == productId)
            .Select(g => new GoalNode(g.Id, g.Title, g.Status == GoalStatus.Active, g.Rank, g.Status == GoalStatus.Retired))
            .ToListAsync(cancellationToken);

        // Objectives are not stored per product: keep those whose chain of parents reaches one of this product's goals.
        var allObjectives = await db.Objectives.AsNoTracking()
            .Select(o => new ObjectiveNode(o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId, o.Status == ObjectiveStatus.Active))
            .ToListAsync(cancellationToken);
        var goalIds = goals.Select(g => g.Id).ToHashSet();
        var objectives = OfProduct(allObjectives, goalIds);
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        var activeObjectives = objectives.Where(o => o.IsActive).Select(o => o.Id).ToHashSet();

        var keyResults = (await db.KeyResults.AsNoTracking()
                .Select(k => new { k.Id, k.Title, k.ObjectiveId, Active = k.Status == KeyResultStatus.Active, k.MetricName, k.Direction })
                .ToListAsync(cancellationToken))
            .Where(k => objectiveIds.Contains(k.ObjectiveId))
            .Select(k => new KeyResultNode(k.Id, k.Title, k.ObjectiveId, k.Active && activeObjectives.Contains(k.ObjectiveId), k.MetricName, k.Direction))
            .ToList();

        var periodStart = new DateTimeOffset(Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var items = (await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId)
                .Select(i => new { i.Id, i.Title, i.TeamId, i.Status, i.ArchivedAt, i.ShippedAt, i.Effort })
                .ToListAsync(cancellationToken))
            .Select(i => new ItemNode(i.Id, i.Title, i.TeamId, Counts(i.Status, i.ArchivedAt, i.ShippedAt, periodStart), i.Effort))
            .ToList();

        var links = await db.RoadmapLinks.AsNoTracking()
            .Where(l => db.RoadmapItems.Any(i => i.Id == l.RoadmapItemId && i.ProductId == productId))
            .Select(l => new LinkEdge(l.RoadmapItemId, l.TargetType, l.TargetId))
            .ToListAsync(cancellationToken);

        return new AlignmentGraph(goals, objectives, keyResults, items, links);
    }

    /// <summary>The schedules of a product's items and their dependencies, for the conflict checks.</summary>
    public async Task<(List<ItemSchedule> Schedules, List<(int ItemId, int BlockerId)> Dependencies)> LoadSchedulesAsync(int productId, CancellationToken cancellationToken)
    {
        var schedules = await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId)
            .Select(i => new ItemSchedule(i.Id, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate,
                i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped && i.Status != RoadmapItemStatus.Shipped))
            .ToListAsync(cancellationToken);
        var dependencies = (await db.ItemDependencies.AsNoTracking()
                .Where(d => db.RoadmapItems.Any(i => i.Id == d.RoadmapItemId && i.ProductId == productId))
                .Select(d => new { d.RoadmapItemId, d.BlockerId })
                .ToListAsync(cancellationToken))
            .Select(d => (d.RoadmapItemId, d.BlockerId))
            .ToList();
        return (schedules, dependencies);
    }

    /// <summary>Does an item count for alignment (brief §3)? Not dropped, not archived, not shipped before the current period.</summary>
    public static bool Counts(RoadmapItemStatus status, DateTimeOffset? archivedAt, DateTimeOffset? shippedAt, DateTimeOffset currentPeriodStart) =>
        status != RoadmapItemStatus.Dropped && archivedAt is null && !(status == RoadmapItemStatus.Shipped && shippedAt < currentPeriodStart);

    private static List<ObjectiveNode> OfProduct(List<ObjectiveNode> all, HashSet<int> goalIds)
    {
        var byId = all.ToDictionary(o => o.Id);
        var result = new List<ObjectiveNode>();
        foreach (var objective in all)
        {
            var current = objective;
            for (var depth = 0; current is not null && depth < 50; depth++)
            {
                if (current.GoalId is { } goalId)
                {
                    if (goalIds.Contains(goalId))
                    {
                        result.Add(objective);
                    }

                    break;
                }

                current = current.ParentObjectiveId is { } p ? byId.GetValueOrDefault(p) : null;
            }
        }

        return result;
    }
}
