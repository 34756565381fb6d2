using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Domain.Alignment;

/// <summary>When an item is planned: a horizon always, a target quarter or start and end dates when known.</summary>
public sealed record ItemSchedule(int ItemId, RoadmapHorizon Horizon, string? TargetPeriodKey, DateOnly? StartDate, DateOnly? EndDate, bool IsOpen)
{
    /// <summary>The day work is planned to start: the start date, else the first day of the target quarter; null when unscheduled.</summary>
    public DateOnly? PlannedStart => StartDate ?? (Period.TryParseKey(TargetPeriodKey, out var year, out var quarter) && year is >= 2000 and <= 2100 && quarter is >= 1 and <= 4
        ? Period.ForQuarter(year, quarter).StartDate
        : null);
}

/// <summary>The dependent item <see cref="ItemId"/> needs <see cref="BlockerId"/>, which is planned to start later.</summary>
public sealed record ScheduleConflict(int ItemId, int BlockerId, string Explanation);

/// <summary>Two teams' key results on the same metric pulling in opposite directions.</summary>
public sealed record MetricConflict(string MetricName, KeyResultNode Up, KeyResultNode Down);

/// <summary>The conflicts brief §3 asks the hub to detect.</summary>
public static class AlignmentConflicts
{
    /// <summary>
    /// Open items that depend on an open item planned later than themselves: the blocker's planned start is after the
    /// dependent's, or (when either has no date or quarter) its horizon is later (Now → Next → Later). Shipped and
    /// dropped blockers never conflict.
    /// </summary>
    public static IReadOnlyList<ScheduleConflict> Schedule(IEnumerable<ItemSchedule> schedules, IEnumerable<(int ItemId, int BlockerId)> dependencies)
    {
        var byItem = schedules.ToDictionary(s => s.ItemId);
        var conflicts = new List<ScheduleConflict>();
        foreach (var (itemId, blockerId) in dependencies)
        {
            if (byItem.GetValueOrDefault(itemId) is not { IsOpen: true } item || byItem.GetValueOrDefault(blockerId) is not { IsOpen: true } blocker)
            {
                continue;
            }

            if (item.PlannedStart is { } itemStart && blocker.PlannedStart is { } blockerStart)
            {
                if (blockerStart > itemStart)
                {
                    conflicts.Add(new ScheduleConflict(itemId, blockerId, $"it starts {Describe(item)}, but what it needs starts {Describe(blocker)}"));
                }
            }
            else if (blocker.Horizon > item.Horizon)
            {
                conflicts.Add(new ScheduleConflict(itemId, blockerId, $"it is in {item.Horizon}, but what it needs is in {blocker.Horizon}"));
            }
        }

        return conflicts;
    }

    /// <summary>
    /// Pairs of active key results of different teams whose metric names match (ignoring case and surrounding spaces)
    /// and whose directions pull opposite ways: increase or stay above against decrease or stay below.
    /// </summary>
    public static IReadOnlyList<MetricConflict> Metrics(IEnumerable<KeyResultNode> keyResults, Func<int, int?> teamOfObjective)
    {
        var conflicts = new List<MetricConflict>();
        var named = keyResults.Where(k => k.IsActive && !string.IsNullOrWhiteSpace(k.MetricName))
            .GroupBy(k => k.MetricName!.Trim(), StringComparer.OrdinalIgnoreCase);
        foreach (var group in named)
        {
            var up = group.Where(k => Pull(k.Direction) > 0).ToList();
            var down = group.Where(k => Pull(k.Direction) < 0).ToList();
            foreach (var u in up)
            {
                foreach (var d in down.Where(d => teamOfObjective(d.ObjectiveId) != teamOfObjective(u.ObjectiveId)))
                {
                    conflicts.Add(new MetricConflict(group.Key, u, d));
                }
            }
        }

        return conflicts;
    }

    /// <summary>Active items with links whose every chain ends at a goal that is no longer active (and none reaches an active goal).</summary>
    public static IReadOnlyList<ItemNode> LinkedOnlyToRetiredGoals(AlignmentGraph graph) =>
        graph.Orphans().Where(i =>
        {
            var chains = graph.WhyChainsOf(i.Id);
            return chains.Count > 0 && chains.All(c => c.GoalId is { } g && graph.Goal(g) is { IsActive: false, IsRetired: true });
        }).ToList();

    private static int Pull(MetricDirection direction) => direction switch
    {
        MetricDirection.Increase or MetricDirection.StayAbove => 1,
        MetricDirection.Decrease or MetricDirection.StayBelow => -1,
        _ => 0,
    };

    private static string Describe(ItemSchedule s) =>
        s.StartDate is { } d ? "on " + d.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) : "in " + s.TargetPeriodKey;
}
