using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Alignment;

/// <summary>
/// Gives one product's <see cref="ProductSnapshot"/> (and its <see cref="AlignmentGraph"/>): from the shared cache
/// when the change counter has not moved since it was read, else read afresh in a fixed number of set-based queries
/// (product, teams, goals, objectives, key results with their latest confidence, items, links, dependencies) whatever
/// the data size. Inside a transaction the snapshot is always read afresh and never cached: it may contain changes
/// that are not committed yet.
/// </summary>
public sealed class AlignmentGraphLoader(AppDbContext db, TimeProvider clock, ProductSnapshotCache cache)
{
    public async Task<AlignmentGraph> LoadAsync(int productId, CancellationToken cancellationToken) =>
        (await SnapshotAsync(productId, cancellationToken)).Graph;

    /// <summary>The product's snapshot; 404 when the product does not exist.</summary>
    public async Task<ProductSnapshot> SnapshotAsync(int productId, CancellationToken cancellationToken)
    {
        var period = CurrentPeriod();
        if (db.Database.CurrentTransaction is not null)
        {
            return await ReadAsync(productId, period, await StampAsync(cancellationToken), cancellationToken);
        }

        var stamp = await StampAsync(cancellationToken);
        return await cache.GetOrReadAsync(productId, stamp, period.Key, () => ReadAsync(productId, period, stamp, cancellationToken));
    }

    /// <summary>The schedules of a product's items and their dependencies, for the conflict checks.</summary>
    public async Task<(List<ItemSchedule> Schedules, List<(int ItemId, int BlockerId)> Dependencies)> LoadSchedulesAsync(int productId, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(productId, cancellationToken);
        var schedules = snapshot.Items
            .Select(i => new ItemSchedule(i.Id, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, i.IsOpen))
            .ToList();
        return (schedules, snapshot.Dependencies.ToList());
    }

    /// <summary>Does an item count for alignment (brief §3)? Not dropped, not archived, not shipped before the current period.</summary>
    public static bool Counts(RoadmapItemStatus status, DateTimeOffset? archivedAt, DateTimeOffset? shippedAt, DateTimeOffset currentPeriodStart) =>
        status != RoadmapItemStatus.Dropped && archivedAt is null && !(status == RoadmapItemStatus.Shipped && shippedAt < currentPeriodStart);

    private Period CurrentPeriod() => Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    private Task<long> StampAsync(CancellationToken cancellationToken) => ReadModelCache.StampAsync(db, cancellationToken);

    private async Task<ProductSnapshot> ReadAsync(int productId, Period period, long stamp, CancellationToken cancellationToken)
    {
        var productName = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The product");
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == productId)
            .Select(g => new GoalNode(g.Id, g.Title, g.Status == GoalStatus.Active, g.Rank, g.Status == GoalStatus.Retired))
            .ToListAsync(cancellationToken);

        // Objectives are not stored per product: keep those whose chain of parents reaches one of this product's goals.
        var allObjectives = await db.Objectives.AsNoTracking()
            .Select(o => new { Node = new ObjectiveNode(o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId, o.Status == ObjectiveStatus.Active), o.PeriodId, o.Weight, o.Status })
            .ToListAsync(cancellationToken);
        var goalIds = goals.Select(g => g.Id).ToHashSet();
        var objectives = OfProduct(allObjectives.Select(o => o.Node).ToList(), goalIds);
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        var activeObjectives = objectives.Where(o => o.IsActive).Select(o => o.Id).ToHashSet();

        // Key results as entities (their progress is a domain calculation), with the confidence of their latest check-in.
        var keyResults = (await db.KeyResults.AsNoTracking()
                .Select(k => new
                {
                    KeyResult = k,
                    Confidence = db.CheckIns.Where(c => c.KeyResultId == k.Id)
                        .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                        .Select(c => (int?)c.Confidence).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken))
            .Where(k => objectiveIds.Contains(k.KeyResult.ObjectiveId))
            .ToList();
        var keyResultNodes = keyResults
            .Select(x => x.KeyResult)
            .Select(k => new KeyResultNode(k.Id, k.Title, k.ObjectiveId, k.Status == KeyResultStatus.Active && activeObjectives.Contains(k.ObjectiveId), k.MetricName, k.Direction))
            .ToList();

        var periodStart = new DateTimeOffset(period.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var items = (await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId)
                .Select(i => new
                {
                    Row = new ItemRow(i.Id, i.Title, i.TeamId, i.OwnerId, i.Status, i.Horizon, i.BoardPosition, i.TargetPeriodKey, i.StartDate, i.EndDate,
                        i.Effort, null, i.ShippedAt, i.ArchivedAt, i.Version),
                    i.RiceReach,
                    i.RiceImpact,
                    i.RiceConfidence,
                })
                .ToListAsync(cancellationToken))
            .Select(x => x.Row with { RiceScore = RoadmapItem.RiceScoreOf(x.RiceReach, x.RiceImpact, x.RiceConfidence, x.Row.Effort) })
            .ToList();
        var itemNodes = items.Select(i => new ItemNode(i.Id, i.Title, i.TeamId, Counts(i.Status, i.ArchivedAt, i.ShippedAt, periodStart), i.Effort)).ToList();

        var links = await db.RoadmapLinks.AsNoTracking()
            .Where(l => db.RoadmapItems.Any(i => i.Id == l.RoadmapItemId && i.ProductId == productId))
            .Select(l => new LinkEdge(l.RoadmapItemId, l.TargetType, l.TargetId))
            .ToListAsync(cancellationToken);
        var dependencies = (await db.ItemDependencies.AsNoTracking()
                .Where(d => db.RoadmapItems.Any(i => i.Id == d.RoadmapItemId && i.ProductId == productId))
                .Select(d => new { d.RoadmapItemId, d.BlockerId })
                .ToListAsync(cancellationToken))
            .Select(d => (d.RoadmapItemId, d.BlockerId))
            .ToList();

        var graph = new AlignmentGraph(goals, objectives, keyResultNodes, itemNodes, links);

        // The current period's objectives of this product (closed ones too, as on the OKR page) with progress from
        // their active key results; the key results of its active objectives.
        var periodId = await db.Periods.AsNoTracking().Where(p => p.Year == period.Year && p.Quarter == period.Quarter).Select(p => (int?)p.Id).SingleOrDefaultAsync(cancellationToken);
        var inPeriod = allObjectives.Where(o => o.PeriodId == periodId && o.Status != ObjectiveStatus.Retired && objectiveIds.Contains(o.Node.Id)).ToList();
        var periodObjectives = inPeriod.ToDictionary(o => o.Node.Id, o => o.Node);
        var keyResultRows = keyResults
            .Where(x => periodObjectives.GetValueOrDefault(x.KeyResult.ObjectiveId) is { IsActive: true } && x.KeyResult.Status == KeyResultStatus.Active)
            .Select(x => new KeyResultRow(x.KeyResult.Id, x.KeyResult.Title, x.KeyResult.ObjectiveId, periodObjectives[x.KeyResult.ObjectiveId].Title,
                periodObjectives[x.KeyResult.ObjectiveId].TeamId, x.KeyResult.Progress(), x.Confidence,
                x.KeyResult.LastCheckInAt, x.KeyResult.CreatedAt, x.KeyResult.CadenceDays))
            .ToList();
        var objectiveRows = inPeriod.Select(o =>
        {
            var krs = keyResults.Where(x => x.KeyResult.ObjectiveId == o.Node.Id && x.KeyResult.Status == KeyResultStatus.Active).Select(x => x.KeyResult).ToList();
            var progress = ProgressCalculator.WeightedMean(krs.Select(k => (k.Title, k.Progress().RolledUp, k.Weight)).ToList(), "key results");
            return new ObjectiveRow(o.Node.Id, o.Node.Title, o.Node.TeamId, o.Node.GoalId, o.Node.ParentObjectiveId, o.Weight, progress, o.Node.IsActive);
        }).ToList();

        return new ProductSnapshot(stamp, period, productId, productName, graph, items, teamNames, objectiveRows, keyResultRows, dependencies);
    }

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
