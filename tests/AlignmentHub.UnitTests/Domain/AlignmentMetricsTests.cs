using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.UnitTests.Domain;

/// <summary>Coverage, effort by goal, priority fit, focus and the alignment score against a hand calculation.</summary>
public class AlignmentMetricsTests
{
    // Goals #1, #2, #3. Objective 10 (team 1) → goal 1 with key results 100 and 101.
    // Items (effort): A 4 → KR 100 (goal 1); B 6 → goals 1 and 2 (3 + 3); C unestimated (1) → goal 3; D 10 → goal 3;
    // E 5 → nothing (orphan); F 100 → goal 2 but dropped (does not count). A, B team 1; C, D, E, F team 2.
    private static AlignmentGraph Fixture() => new(
        [new GoalNode(1, "First", true, 1), new GoalNode(2, "Second", true, 2), new GoalNode(3, "Third", true, 3)],
        [new ObjectiveNode(10, "Objective", 1, 1, null, true)],
        [new KeyResultNode(100, "KR a", 10, true), new KeyResultNode(101, "KR b", 10, true)],
        [
            new ItemNode(1, "A", 1, true, 4m),
            new ItemNode(2, "B", 1, true, 6m),
            new ItemNode(3, "C", 2, true, null),
            new ItemNode(4, "D", 2, true, 10m),
            new ItemNode(5, "E", 2, true, 5m),
            new ItemNode(6, "F", 2, false, 100m),
        ],
        [
            new LinkEdge(1, LinkTargetType.KeyResult, 100),
            new LinkEdge(2, LinkTargetType.Goal, 1),
            new LinkEdge(2, LinkTargetType.Goal, 2),
            new LinkEdge(3, LinkTargetType.Goal, 3),
            new LinkEdge(4, LinkTargetType.Goal, 3),
            new LinkEdge(6, LinkTargetType.Goal, 2),
        ]);

    [Fact]
    public void Figures_match_the_hand_calculation()
    {
        var figures = AlignmentMetrics.Compute(Fixture(), new HashSet<int> { 101 });

        Assert.Equal(26m, figures.TotalEffort); // 4 + 6 + 1 + 10 + 5
        Assert.Equal(21m, figures.AlignedEffort); // all but E
        Assert.Equal(21m / 26m, figures.Coverage);
        Assert.Equal(0.8m, figures.CoverageByCount); // 4 of 5
        Assert.Equal([7m, 3m, 11m], figures.EffortByGoal.Select(g => g.Effort)); // #1 = 4 + 3, #2 = 3, #3 = 1 + 10
        Assert.Equal([false, false, true], figures.EffortByGoal.Select(g => g.IsInversion));
        Assert.Equal([(1, 3), (2, 3)], figures.Inversions.Select(x => (x.Higher.GoalId, x.Lower.GoalId)));
        Assert.Equal(3, figures.ComparedGoalPairs);
        Assert.Equal(1m - (2m / 3m), figures.PriorityFit);
        Assert.Equal(1m / 3m, figures.UnsupportedShare); // KR 101 of objective 10, KR 100, KR 101
        Assert.Equal(0.5m, figures.Freshness); // KR 101 stale
        // 50 × 21/26 + 20 × 2/3 + 15 × 0.5 + 15 × 1/3 = 40.38 + 13.33 + 7.5 + 5 = 66.22
        Assert.Equal(66.2m, figures.Score);
    }

    [Fact]
    public void Team_figures_count_only_the_teams_items_objectives_and_key_results()
    {
        var team2 = AlignmentMetrics.Compute(Fixture(), new HashSet<int> { 101 }, teamId: 2);

        Assert.Equal(16m, team2.TotalEffort); // C 1 + D 10 + E 5
        Assert.Equal(11m / 16m, team2.Coverage);
        Assert.Equal(0, team2.ActiveObjectivesAndKeyResults);
        Assert.Equal(1m, team2.Freshness);

        Assert.Equal([3], AlignmentMetrics.FocusOf(Fixture(), 2).Select(g => g.GoalId));
        Assert.Equal([1, 2], AlignmentMetrics.FocusOf(Fixture(), 1).Select(g => g.GoalId));
    }

    [Fact]
    public void Empty_product_scores_full_marks_rather_than_dividing_by_zero()
    {
        var figures = AlignmentMetrics.Compute(new AlignmentGraph([], [], [], [], []), new HashSet<int>());

        Assert.Equal(1m, figures.Coverage);
        Assert.Equal(1m, figures.PriorityFit);
        Assert.Equal(100m, figures.Score);
    }
}
