namespace AlignmentHub.Domain.Alignment;

/// <summary>One goal's share of the aligned effort, next to its rank (priority fit).</summary>
public sealed record GoalEffort(int GoalId, string Title, int? Rank, decimal Effort, decimal Share, int Items, bool IsInversion);

/// <summary>Two goals whose effort order contradicts their rank order: <see cref="Lower"/> gets more than <see cref="Higher"/>.</summary>
public sealed record PriorityInversion(GoalEffort Higher, GoalEffort Lower);

/// <summary>
/// The figures of brief §3 for one product, with their inputs, so every page can say how they were calculated.
/// Effort of an unestimated item counts as 1 point.
/// </summary>
public sealed record AlignmentFigures(
    decimal TotalEffort,
    decimal AlignedEffort,
    int CountingItems,
    int AlignedItems,
    int ActiveObjectivesAndKeyResults,
    int UnsupportedObjectivesAndKeyResults,
    int ActiveKeyResults,
    int StaleKeyResults,
    IReadOnlyList<GoalEffort> EffortByGoal,
    IReadOnlyList<PriorityInversion> Inversions,
    int ComparedGoalPairs)
{
    /// <summary>Aligned effort ÷ total effort of counting items (1 when there is nothing to align).</summary>
    public decimal Coverage => TotalEffort == 0m ? 1m : AlignedEffort / TotalEffort;

    /// <summary>Aligned items ÷ counting items (1 when there are none).</summary>
    public decimal CoverageByCount => CountingItems == 0 ? 1m : (decimal)AlignedItems / CountingItems;

    /// <summary>Unsupported ÷ active objectives and key results (0 when there are none).</summary>
    public decimal UnsupportedShare => ActiveObjectivesAndKeyResults == 0 ? 0m : (decimal)UnsupportedObjectivesAndKeyResults / ActiveObjectivesAndKeyResults;

    /// <summary>Share of active key results that are not stale (1 when there are none).</summary>
    public decimal Freshness => ActiveKeyResults == 0 ? 1m : (decimal)(ActiveKeyResults - StaleKeyResults) / ActiveKeyResults;

    /// <summary>1 − inversions ÷ compared pairs of ranked goals (1 with fewer than two goals).</summary>
    public decimal PriorityFit => ComparedGoalPairs == 0 ? 1m : 1m - ((decimal)Inversions.Count / ComparedGoalPairs);

    /// <summary>50 × coverage + 20 × (1 − unsupported share) + 15 × freshness + 15 × priority fit, rounded to one decimal.</summary>
    public decimal Score => Math.Round((50m * Coverage) + (20m * (1m - UnsupportedShare)) + (15m * Freshness) + (15m * PriorityFit), 1, MidpointRounding.AwayFromZero);
}

/// <summary>The alignment figures of brief §3 computed from an <see cref="AlignmentGraph"/>.</summary>
public static class AlignmentMetrics
{
    /// <summary>The effort an item counts with: its estimate, or 1 point when unestimated.</summary>
    public static decimal EffortOf(ItemNode item) => item.Effort is > 0m and { } e ? e : 1m;

    /// <summary>
    /// Computes the figures for the whole product, or for one team's items, objectives and key results.
    /// Each aligned item's effort is split evenly across the active goals it reaches.
    /// </summary>
    public static AlignmentFigures Compute(AlignmentGraph graph, IReadOnlySet<int> staleKeyResultIds, int? teamId = null)
    {
        bool OfTeam(int team) => teamId is null || team == teamId;
        var counting = graph.Items.Where(i => i.Counts && OfTeam(i.TeamId)).ToList();
        var totalEffort = counting.Sum(EffortOf);
        var aligned = counting.Where(i => graph.IsAligned(i.Id)).ToList();

        var effortByGoal = new Dictionary<int, decimal>();
        var itemsByGoal = new Dictionary<int, int>();
        foreach (var item in aligned)
        {
            var goals = graph.GoalsReachedBy(item.Id);
            var share = EffortOf(item) / goals.Count;
            foreach (var goalId in goals)
            {
                effortByGoal[goalId] = effortByGoal.GetValueOrDefault(goalId) + share;
                itemsByGoal[goalId] = itemsByGoal.GetValueOrDefault(goalId) + 1;
            }
        }

        var alignedEffort = aligned.Sum(EffortOf);
        var ranked = graph.Goals.Where(g => g.IsActive).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Id).ToList();
        var rows = ranked.Select(g =>
        {
            var effort = effortByGoal.GetValueOrDefault(g.Id);
            return new GoalEffort(g.Id, g.Title, g.Rank, effort, alignedEffort == 0m ? 0m : effort / alignedEffort, itemsByGoal.GetValueOrDefault(g.Id), false);
        }).ToList();

        // Every pair of ranked goals is compared: a lower-ranked goal with strictly more effort is an inversion.
        var inversions = new List<PriorityInversion>();
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = i + 1; j < rows.Count; j++)
            {
                if (rows[j].Effort > rows[i].Effort)
                {
                    inversions.Add(new PriorityInversion(rows[i], rows[j]));
                }
            }
        }

        var inverted = inversions.Select(x => x.Lower.GoalId).ToHashSet();
        rows = rows.Select(r => inverted.Contains(r.GoalId) ? r with { IsInversion = true } : r).ToList();
        inversions = inversions.Select(x => new PriorityInversion(rows.First(r => r.GoalId == x.Higher.GoalId), rows.First(r => r.GoalId == x.Lower.GoalId))).ToList();

        var teamOfObjective = graph.Objectives.ToDictionary(o => o.Id, o => o.TeamId);
        var activeObjectives = graph.Objectives.Where(o => o.IsActive && OfTeam(o.TeamId)).ToList();
        var activeKeyResults = graph.KeyResults.Where(k => k.IsActive && OfTeam(teamOfObjective.GetValueOrDefault(k.ObjectiveId, -1))).ToList();
        var unsupported = graph.UnsupportedObjectives().Count(o => OfTeam(o.TeamId))
            + graph.UnsupportedKeyResults().Count(k => OfTeam(teamOfObjective.GetValueOrDefault(k.ObjectiveId, -1)));

        return new AlignmentFigures(
            totalEffort,
            alignedEffort,
            counting.Count,
            aligned.Count,
            activeObjectives.Count + activeKeyResults.Count,
            unsupported,
            activeKeyResults.Count,
            activeKeyResults.Count(k => staleKeyResultIds.Contains(k.Id)),
            rows,
            inversions,
            rows.Count * (rows.Count - 1) / 2);
    }

    /// <summary>A team's focus: the goals its aligned effort reaches, with each goal's share of that effort.</summary>
    public static IReadOnlyList<GoalEffort> FocusOf(AlignmentGraph graph, int teamId) =>
        Compute(graph, new HashSet<int>(), teamId).EffortByGoal.Where(g => g.Effort > 0m).ToList();
}
