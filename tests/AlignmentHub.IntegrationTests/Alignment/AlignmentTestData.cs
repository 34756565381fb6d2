using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Alignment;

/// <summary>
/// Arranges roadmap and OKR data straight in the test database, and computes the alignment rules of brief §3 by hand
/// from plain rows (not through the domain's AlignmentGraph), so that the page can be checked against them.
/// </summary>
internal static class AlignmentTestData
{
    public static Task<int> ActiveGoalIdAsync(this AlignmentHubFactory factory, int rank) =>
        factory.QueryAsync(db => db.Goals.Where(g => g.ProductId == Demo.ProductId && g.Rank == rank).Select(g => g.Id).SingleAsync());

    public static Task<int> RetiredGoalIdAsync(this AlignmentHubFactory factory) =>
        factory.QueryAsync(db => db.Goals.Where(g => g.ProductId == Demo.ProductId && g.Status == GoalStatus.Retired).Select(g => g.Id).FirstAsync());

    /// <summary>An objective of <paramref name="team"/> in the current quarter with the given key results, saved directly.</summary>
    public static async Task<(int ObjectiveId, int[] KeyResultIds)> ArrangeObjectiveAsync(this AlignmentHubFactory factory, string team, string title,
        int? goalId, params KeyResultDefinition[] keyResults)
    {
        var teamId = await factory.TeamIdAsync(team);
        var key = Demo.CurrentPeriodKey;
        return await factory.QueryAsync(async db =>
        {
            var periodId = await db.Periods.Where(p => p.Key == key).Select(p => p.Id).SingleAsync();
            var objective = new Objective(teamId, periodId, title, null, goalId, null, null, keyResults, DateTimeOffset.UtcNow.AddDays(-10));
            db.Objectives.Add(objective);
            await db.SaveChangesAsync();
            return (objective.Id, objective.KeyResults.OrderBy(k => k.Id).Select(k => k.Id).ToArray());
        });
    }

    public static KeyResultDefinition Kr(string title, MetricDirection direction = MetricDirection.Increase, string? metricName = null) => direction switch
    {
        MetricDirection.Decrease => new(title, MetricType.Number, direction, 20m, 10m, MetricName: metricName),
        MetricDirection.StayWithin => new(title, MetricType.Number, direction, 15m, 15m, BandLow: 10m, BandHigh: 20m, MetricName: metricName),
        _ => new(title, MetricType.Number, direction, 10m, 20m, MetricName: metricName),
    };

    /// <summary>A second product with one item of its own, for "another product's id" cases.</summary>
    public static Task<(int ProductId, int ItemId, int GoalId)> ArrangeOtherProductAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var product = new Product(Demo.UniqueTitle("Zephyr"), "Another product", DateTimeOffset.UtcNow);
        var goal = product.AddGoal("Zephyr goal", null, null, GoalHorizon.ShortTerm);
        db.Products.Add(product);
        await db.SaveChangesAsync();
        var teamId = await db.Teams.Where(t => t.Name == "Platform").Select(t => t.Id).SingleAsync();
        var item = new RoadmapItem(product.Id, teamId, Demo.UniqueTitle("Zephyr item"), RoadmapItemKind.Feature, RoadmapHorizon.Now, DateTimeOffset.UtcNow);
        db.RoadmapItems.Add(item);
        await db.SaveChangesAsync();
        return (product.Id, item.Id, goal.Id);
    });

    public static Task<bool> HasLinkAsync(this AlignmentHubFactory factory, int itemId, LinkTargetType type, int targetId) =>
        factory.QueryAsync(db => db.RoadmapLinks.AnyAsync(l => l.RoadmapItemId == itemId && l.TargetType == type && l.TargetId == targetId));

    /// <summary>The orphan rows of the page: (item id, title, effort text).</summary>
    public static List<(int Id, string Title, string Effort)> OrphanRows(Page page) =>
        page.Document.QuerySelectorAll("#orphans li.orphan-row")
            .Select(li => (int.Parse(li.GetAttribute("data-item-id")!, CultureInfo.InvariantCulture), li.QuerySelector(".orphan-title")!.TextContent.Trim(),
                li.QuerySelector(".orphan-effort")!.TextContent.Trim()))
            .ToList();

    /// <summary>The item ids that have a checkbox in the orphan queue.</summary>
    public static List<int> CheckboxIds(Page page) =>
        page.Document.QuerySelectorAll("#orphans input[type='checkbox'][name='ItemIds']").Select(i => int.Parse(i.GetAttribute("value")!, CultureInfo.InvariantCulture)).ToList();

    public static string TextOf(IElement? element) => element is null ? string.Empty : TestText.Normalise(element.TextContent);

    /// <summary>The brief's rules by hand, over plain rows of one product.</summary>
    public static Task<HandComputed> ComputeByHandAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId) => factory.QueryAsync(async db =>
    {
        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == productId).Select(g => new { g.Id, g.Status }).ToDictionaryAsync(g => g.Id, g => g.Status);
        var objectives = await db.Objectives.AsNoTracking().Select(o => new ObjectiveRow(o.Id, o.Title, o.Status, o.GoalId, o.ParentObjectiveId)).ToDictionaryAsync(o => o.Id);
        var keyResults = await db.KeyResults.AsNoTracking().Select(k => new KeyResultRow(k.Id, k.Title, k.ObjectiveId, k.Status)).ToDictionaryAsync(k => k.Id);
        var items = await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId)
            .Select(i => new ItemRow(i.Id, i.Title, i.Status, i.ArchivedAt, i.ShippedAt, i.Effort)).ToListAsync();
        var itemIds = items.Select(i => i.Id).ToHashSet();
        var links = (await db.RoadmapLinks.AsNoTracking().Select(l => new { l.RoadmapItemId, l.TargetType, l.TargetId }).ToListAsync())
            .Where(l => itemIds.Contains(l.RoadmapItemId)).ToList();

        var today = DateTime.UtcNow;
        var quarterStart = new DateTimeOffset(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero);
        bool Counts(ItemRow i) => i.Status != RoadmapItemStatus.Dropped && i.ArchivedAt is null && !(i.Status == RoadmapItemStatus.Shipped && i.ShippedAt < quarterStart);

        // The goal at the top of an objective's chain, and whether every objective on the way is active.
        (int? GoalId, bool AllActive) Top(int objectiveId)
        {
            var allActive = true;
            int? id = objectiveId;
            for (var depth = 0; id is { } current && depth < 50; depth++)
            {
                if (!objectives.TryGetValue(current, out var o))
                {
                    return (null, false);
                }

                allActive &= o.Status == ObjectiveStatus.Active;
                if (o.GoalId is { } g)
                {
                    return (g, allActive);
                }

                id = o.ParentObjectiveId;
            }

            return (null, false);
        }

        bool OfProduct(int objectiveId) => Top(objectiveId).GoalId is { } g && goals.ContainsKey(g);
        bool ReachesActiveGoal(int objectiveId) => Top(objectiveId) is { GoalId: { } g, AllActive: true } && goals.GetValueOrDefault(g) == GoalStatus.Active;
        bool KrActive(KeyResultRow k) => k.Status == KeyResultStatus.Active && objectives[k.ObjectiveId].Status == ObjectiveStatus.Active;
        bool Reaches(LinkTargetType type, int id) => type switch
        {
            LinkTargetType.Goal => goals.GetValueOrDefault(id) == GoalStatus.Active,
            LinkTargetType.Objective => objectives.ContainsKey(id) && ReachesActiveGoal(id),
            _ => keyResults.TryGetValue(id, out var k) && KrActive(k) && ReachesActiveGoal(k.ObjectiveId),
        };

        var active = items.Where(Counts).ToList();
        var orphans = active.Where(i => !links.Any(l => l.RoadmapItemId == i.Id && Reaches(l.TargetType, l.TargetId))).ToList();
        var activeIds = active.Select(i => i.Id).ToHashSet();
        var countedLinks = links.Where(l => activeIds.Contains(l.RoadmapItemId)).ToList();

        var productObjectives = objectives.Values.Where(o => o.Status == ObjectiveStatus.Active && OfProduct(o.Id)).ToList();
        var unsupportedKeyResults = keyResults.Values
            .Where(k => objectives.ContainsKey(k.ObjectiveId) && OfProduct(k.ObjectiveId) && KrActive(k))
            .Where(k => !countedLinks.Any(l => l.TargetType == LinkTargetType.KeyResult && l.TargetId == k.Id))
            .Select(k => k.Title).ToHashSet();
        var unsupportedObjectives = productObjectives
            .Where(o => !countedLinks.Any(l => (l.TargetType == LinkTargetType.Objective && l.TargetId == o.Id)
                || (l.TargetType == LinkTargetType.KeyResult && keyResults.TryGetValue(l.TargetId, out var k) && k.ObjectiveId == o.Id && KrActive(k))))
            .Select(o => o.Title).ToHashSet();

        return new HandComputed(
            orphans.Select(o => o.Title).ToHashSet(),
            orphans.Sum(o => o.Effort ?? 1m),
            active.Sum(o => o.Effort ?? 1m),
            unsupportedObjectives,
            unsupportedKeyResults);
    });

    internal sealed record ObjectiveRow(int Id, string Title, ObjectiveStatus Status, int? GoalId, int? ParentObjectiveId);

    internal sealed record KeyResultRow(int Id, string Title, int ObjectiveId, KeyResultStatus Status);

    internal sealed record ItemRow(int Id, string Title, RoadmapItemStatus Status, DateTimeOffset? ArchivedAt, DateTimeOffset? ShippedAt, decimal? Effort);
}

internal sealed record HandComputed(HashSet<string> Orphans, decimal OrphanEffort, decimal ActiveEffort, HashSet<string> UnsupportedObjectives, HashSet<string> UnsupportedKeyResults);
