using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.UnitTests.Domain;

/// <summary>The alignment rules of brief §3 on small hand-built graphs.</summary>
public class AlignmentGraphTests
{
    // Goals: 1 active (#1), 2 active (#2), 3 retired, 4 achieved.
    // Objectives: 10 → goal 1; 11 → parent 10; 12 → parent 11 (three levels); 13 → goal 3 (retired);
    //             14 closed → goal 2; 15 → parent 14 (the closed one); 16 → goal 2.
    // Key results: 100 of 10, 101 of 12, 102 of 14 (objective closed), 103 retired of 16, 104 of 16.
    private static readonly GoalNode[] Goals =
    [
        new(1, "Grow", true, 1),
        new(2, "Retain", true, 2),
        new(3, "Old bet", false, null, IsRetired: true),
        new(4, "Done", false, null),
    ];

    private static readonly ObjectiveNode[] Objectives =
    [
        new(10, "Top", 1, 1, null, true),
        new(11, "Middle", 1, null, 10, true),
        new(12, "Leaf", 2, null, 11, true),
        new(13, "Serves retired", 2, 3, null, true),
        new(14, "Closed", 3, 2, null, false),
        new(15, "Child of closed", 3, null, 14, true),
        new(16, "Retain objective", 3, 2, null, true),
    ];

    private static readonly KeyResultNode[] KeyResults =
    [
        new(100, "KR top", 10, true),
        new(101, "KR leaf", 12, true),
        new(102, "KR of closed", 14, false),
        new(103, "KR retired", 16, false),
        new(104, "KR retain", 16, true),
    ];

    private static AlignmentGraph Graph(IEnumerable<ItemNode> items, params LinkEdge[] links) =>
        new(Goals, Objectives, KeyResults, items, links);

    private static ItemNode Item(int id, bool counts = true, decimal? effort = null) => new(id, $"Item {id}", 1, counts, effort);

    [Theory]
    [InlineData(LinkTargetType.Goal, 1, 1)]
    [InlineData(LinkTargetType.Goal, 2, 2)]
    [InlineData(LinkTargetType.Objective, 10, 1)]
    [InlineData(LinkTargetType.Objective, 12, 1)] // leaf → middle → top → goal 1
    [InlineData(LinkTargetType.KeyResult, 101, 1)] // KR → leaf → middle → top → goal 1
    [InlineData(LinkTargetType.KeyResult, 104, 2)]
    public void Link_reaching_an_active_goal_aligns_the_item(LinkTargetType type, int target, int goal)
    {
        var graph = Graph([Item(1)], new LinkEdge(1, type, target));

        Assert.True(graph.IsAligned(1));
        Assert.Equal([goal], graph.GoalsReachedBy(1));
        Assert.Empty(graph.Orphans());
    }

    [Theory]
    [InlineData(LinkTargetType.Goal, 3)] // retired goal
    [InlineData(LinkTargetType.Goal, 4)] // achieved goal
    [InlineData(LinkTargetType.Objective, 13)] // objective serving a retired goal
    [InlineData(LinkTargetType.Objective, 14)] // closed objective
    [InlineData(LinkTargetType.Objective, 15)] // active objective under a closed parent
    [InlineData(LinkTargetType.KeyResult, 102)] // KR of a closed objective
    [InlineData(LinkTargetType.KeyResult, 103)] // retired KR
    [InlineData(LinkTargetType.KeyResult, 999)] // unknown KR
    [InlineData(LinkTargetType.Goal, 999)] // unknown goal
    public void Link_that_reaches_no_active_goal_leaves_an_orphan(LinkTargetType type, int target)
    {
        var graph = Graph([Item(1)], new LinkEdge(1, type, target));

        Assert.False(graph.IsAligned(1));
        Assert.Equal([1], graph.Orphans().Select(i => i.Id));
    }

    [Fact]
    public void Item_without_links_is_an_orphan_and_one_good_link_among_bad_ones_is_enough()
    {
        var graph = Graph([Item(1), Item(2)],
            new LinkEdge(2, LinkTargetType.Goal, 3),
            new LinkEdge(2, LinkTargetType.KeyResult, 103),
            new LinkEdge(2, LinkTargetType.Objective, 16));

        Assert.Equal([1], graph.Orphans().Select(i => i.Id));
        Assert.Equal([2], graph.GoalsReachedBy(2));
    }

    [Fact]
    public void Item_reaching_two_goals_through_several_links_counts_each_goal_once()
    {
        var graph = Graph([Item(1)],
            new LinkEdge(1, LinkTargetType.Goal, 1),
            new LinkEdge(1, LinkTargetType.KeyResult, 100),
            new LinkEdge(1, LinkTargetType.KeyResult, 104));

        Assert.Equal(new HashSet<int> { 1, 2 }, graph.GoalsReachedBy(1).ToHashSet());
    }

    [Fact]
    public void Items_that_do_not_count_are_never_orphans_and_support_nothing()
    {
        // Dropped, archived or shipped before the period: Counts = false.
        var graph = Graph([Item(1, counts: false), Item(2, counts: false)], new LinkEdge(2, LinkTargetType.KeyResult, 104));

        Assert.Empty(graph.Orphans());
        Assert.Contains(graph.UnsupportedKeyResults(), k => k.Id == 104);
        Assert.Contains(graph.UnsupportedObjectives(), o => o.Id == 16);
    }

    [Fact]
    public void Parent_cycle_in_data_ends_without_reaching_a_goal()
    {
        var graph = new AlignmentGraph(Goals,
            [new ObjectiveNode(20, "A", 1, null, 21, true), new ObjectiveNode(21, "B", 1, null, 20, true)],
            [], [Item(1)], [new LinkEdge(1, LinkTargetType.Objective, 20)]);

        Assert.False(graph.IsAligned(1));
        Assert.Equal("the objective is not aligned to a goal", Assert.Single(graph.WhyChainsOf(1)).BrokenBecause);
    }

    [Fact]
    public void Unsupported_objectives_and_key_results_are_the_active_ones_no_counting_item_serves()
    {
        // Item 1 → KR 101 supports KR 101 and its objective 12 (not 11 or 10: support does not climb parents).
        // Item 2 → objective 16 supports objective 16, not its KR 104.
        var graph = Graph([Item(1), Item(2)],
            new LinkEdge(1, LinkTargetType.KeyResult, 101),
            new LinkEdge(2, LinkTargetType.Objective, 16));

        Assert.Equal([10, 11, 13, 15], graph.UnsupportedObjectives().Select(o => o.Id).Order());
        Assert.Equal([100, 104], graph.UnsupportedKeyResults().Select(k => k.Id).Order());
    }

    [Fact]
    public void Why_chain_lists_key_result_objectives_child_first_and_goal()
    {
        var graph = Graph([Item(1)], new LinkEdge(1, LinkTargetType.KeyResult, 101));

        var chain = Assert.Single(graph.WhyChainsOf(1));

        Assert.True(chain.IsActive);
        Assert.Null(chain.BrokenBecause);
        Assert.Equal(101, chain.KeyResultId);
        Assert.Equal([12, 11, 10], chain.ObjectiveIds);
        Assert.Equal(1, chain.GoalId);
    }

    [Theory]
    [InlineData(LinkTargetType.Goal, 3, "the goal is no longer active", 3)]
    [InlineData(LinkTargetType.Objective, 13, "the goal is no longer active", 3)]
    [InlineData(LinkTargetType.Objective, 15, "the objective is closed or retired", 2)]
    [InlineData(LinkTargetType.KeyResult, 103, "the key result is retired or its objective is closed", 2)]
    [InlineData(LinkTargetType.KeyResult, 999, "the key result no longer exists", null)]
    public void Broken_why_chain_says_why_and_names_the_goal_it_used_to_serve(LinkTargetType type, int target, string reason, int? goal)
    {
        var graph = Graph([Item(1)], new LinkEdge(1, type, target));

        var chain = Assert.Single(graph.WhyChainsOf(1));

        Assert.False(chain.IsActive);
        Assert.Equal(reason, chain.BrokenBecause);
        Assert.Equal(goal, chain.GoalId);
    }

    [Fact]
    public void Impact_of_retiring_a_goal_lists_items_and_objectives_that_lose_their_only_justification()
    {
        // Item 1 only via KR 101 → goal 1: loses it. Item 2 reaches goals 1 and 2: keeps goal 2. Item 3 via goal 2: untouched.
        // Item 4 does not count: never listed.
        var graph = Graph([Item(1), Item(2), Item(3), Item(4, counts: false)],
            new LinkEdge(1, LinkTargetType.KeyResult, 101),
            new LinkEdge(2, LinkTargetType.Goal, 1),
            new LinkEdge(2, LinkTargetType.KeyResult, 104),
            new LinkEdge(3, LinkTargetType.Goal, 2),
            new LinkEdge(4, LinkTargetType.Goal, 1));

        var impact = graph.ImpactOfRetiring(LinkTargetType.Goal, 1);

        Assert.Equal([1], impact.Items.Select(i => i.Id));
        Assert.Equal([10, 11, 12], impact.Objectives.Select(o => o.Id).Order());
        Assert.False(impact.After.IsAligned(1));
        Assert.True(impact.After.IsAligned(2));
        Assert.True(graph.IsAligned(1)); // the original snapshot is unchanged
    }

    [Fact]
    public void Impact_of_retiring_an_objective_covers_its_key_results_and_child_objectives_but_not_itself()
    {
        var graph = Graph([Item(1), Item(2)],
            new LinkEdge(1, LinkTargetType.KeyResult, 101), // via 12 → 11 → 10
            new LinkEdge(2, LinkTargetType.KeyResult, 100)); // KR of 10 itself

        var impact = graph.ImpactOfRetiring(LinkTargetType.Objective, 10);

        Assert.Equal([1, 2], impact.Items.Select(i => i.Id).Order());
        Assert.Equal([11, 12], impact.Objectives.Select(o => o.Id).Order());
    }

    [Fact]
    public void Impact_of_retiring_a_key_result_lists_only_items_and_nothing_when_nothing_depends_on_it()
    {
        var graph = Graph([Item(1), Item(2)],
            new LinkEdge(1, LinkTargetType.KeyResult, 104),
            new LinkEdge(2, LinkTargetType.KeyResult, 104),
            new LinkEdge(2, LinkTargetType.Goal, 1));

        var impact = graph.ImpactOfRetiring(LinkTargetType.KeyResult, 104);
        Assert.Equal([1], impact.Items.Select(i => i.Id));
        Assert.Empty(impact.Objectives);
        Assert.True(graph.ImpactOfRetiring(LinkTargetType.KeyResult, 100).IsEmpty);
    }

    [Fact]
    public void Items_linked_only_to_retired_goals_are_a_conflict_unlike_other_orphans()
    {
        var graph = Graph([Item(1), Item(2), Item(3), Item(4)],
            new LinkEdge(1, LinkTargetType.Goal, 3), // only the retired goal
            new LinkEdge(2, LinkTargetType.Objective, 13), // through an objective serving the retired goal
            new LinkEdge(3, LinkTargetType.Goal, 4)); // achieved, not retired; item 4 has no links

        Assert.Equal([1, 2], AlignmentConflicts.LinkedOnlyToRetiredGoals(graph).Select(i => i.Id).Order());
    }

    [Fact]
    public void Dependency_on_an_item_planned_later_is_a_conflict()
    {
        ItemSchedule S(int id, RoadmapHorizon h, string? quarter = null, DateOnly? start = null, bool open = true) =>
            new(id, h, quarter, start, start?.AddDays(30), open);

        var schedules = new[]
        {
            S(1, RoadmapHorizon.Now, "2027-Q1"),
            S(2, RoadmapHorizon.Next, "2027-Q2"),
            S(3, RoadmapHorizon.Now, "2027-Q1"),
            S(4, RoadmapHorizon.Now, start: new DateOnly(2027, 2, 10)),
            S(5, RoadmapHorizon.Next),
            S(6, RoadmapHorizon.Later),
            S(7, RoadmapHorizon.Later, "2027-Q3", open: false), // shipped or dropped: never a conflict
        };

        var conflicts = AlignmentConflicts.Schedule(schedules,
        [
            (1, 2), // Q1 needs Q2 → conflict
            (2, 1), // Q2 needs Q1 → fine
            (1, 3), // same quarter → fine
            (1, 4), // starts 1 Jan, needs something starting 10 Feb → conflict
            (5, 6), // Next needs Later (no quarters) → conflict
            (6, 5), // Later needs Next → fine
            (1, 7), // blocker closed → fine
        ]);

        Assert.Equal([(1, 2), (1, 4), (5, 6)], conflicts.Select(c => (c.ItemId, c.BlockerId)));
        Assert.Equal("it starts in 2027-Q1, but what it needs starts in 2027-Q2", conflicts[0].Explanation);
    }

    [Fact]
    public void Same_metric_pulled_opposite_ways_by_two_teams_is_a_conflict()
    {
        KeyResultNode Kr(int id, int objective, string? metric, MetricDirection d, bool active = true) => new(id, $"KR {id}", objective, active, metric, d);
        var teamOfObjective = new Dictionary<int, int?> { [1] = 10, [2] = 20, [3] = 10 };

        var conflicts = AlignmentConflicts.Metrics(
        [
            Kr(1, 1, "Tickets per account", MetricDirection.Increase),
            Kr(2, 2, " tickets PER account ", MetricDirection.Decrease), // other team, opposite → conflict
            Kr(3, 3, "Tickets per account", MetricDirection.StayBelow), // same team as KR 1 → not a conflict with it
            Kr(4, 2, "Tickets per account", MetricDirection.StayWithin), // neutral
            Kr(5, 2, "Churn", MetricDirection.StayAbove),
            Kr(6, 1, "Churn", MetricDirection.StayBelow, active: false), // retired
            Kr(7, 2, null, MetricDirection.Increase),
        ], id => teamOfObjective.GetValueOrDefault(id));

        var conflict = Assert.Single(conflicts);
        Assert.Equal((1, 2), (conflict.Up.Id, conflict.Down.Id));
    }
}
