using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Domain.Alignment;

/// <summary>A goal as the alignment rules see it. Not active = achieved or retired.</summary>
public sealed record GoalNode(int Id, string Title, bool IsActive, int? Rank, bool IsRetired = false);

/// <summary>An objective as the alignment rules see it: it reaches a goal directly or through its parent objectives.</summary>
public sealed record ObjectiveNode(int Id, string Title, int TeamId, int? GoalId, int? ParentObjectiveId, bool IsActive);

/// <summary>A key result as the alignment rules see it. Active = the key result and its objective are both active.</summary>
public sealed record KeyResultNode(int Id, string Title, int ObjectiveId, bool IsActive, string? MetricName = null, MetricDirection Direction = MetricDirection.Increase);

/// <summary>
/// A roadmap item as the alignment rules see it. <see cref="Counts"/> is false for dropped and archived items and for
/// items shipped before the current period (brief §3): those neither need a why nor support anything.
/// </summary>
public sealed record ItemNode(int Id, string Title, int TeamId, bool Counts, decimal? Effort = null);

/// <summary>One link of an item to its "why".</summary>
public sealed record LinkEdge(int ItemId, LinkTargetType TargetType, int TargetId);

/// <summary>One path from an item up to a goal: the link, then key result (optional), objectives (one or more, child first), goal.</summary>
public sealed record WhyChain(LinkTargetType LinkedTo, int? KeyResultId, IReadOnlyList<int> ObjectiveIds, int? GoalId, bool IsActive, string? BrokenBecause);

/// <summary>
/// The alignment rules of brief §3 over a snapshot of one product's strategy and roadmap: which active goals each item
/// reaches, orphans, unsupported objectives and key results. Immutable; <see cref="Without"/> answers "what if this
/// were retired?" for the impact check.
/// </summary>
public sealed class AlignmentGraph
{
    private const int MaxParentDepth = 50;
    private static readonly IReadOnlySet<int> NoGoals = new HashSet<int>();

    private readonly Dictionary<int, GoalNode> goals;
    private readonly Dictionary<int, ObjectiveNode> objectives;
    private readonly Dictionary<int, KeyResultNode> keyResults;
    private readonly Dictionary<int, ItemNode> items;
    private readonly ILookup<int, LinkEdge> linksByItem;
    private readonly Dictionary<int, int?> activeGoalOfObjective;
    private readonly Dictionary<int, IReadOnlySet<int>> goalsOfItem;

    public AlignmentGraph(IEnumerable<GoalNode> goals, IEnumerable<ObjectiveNode> objectives, IEnumerable<KeyResultNode> keyResults,
        IEnumerable<ItemNode> items, IEnumerable<LinkEdge> links)
    {
        this.goals = goals.ToDictionary(g => g.Id);
        this.objectives = objectives.ToDictionary(o => o.Id);
        this.keyResults = keyResults.ToDictionary(k => k.Id);
        this.items = items.ToDictionary(i => i.Id);
        Links = links.Where(l => this.items.ContainsKey(l.ItemId)).ToList();
        linksByItem = Links.ToLookup(l => l.ItemId);

        // Everything is computed once here, so a snapshot can be shared by concurrent requests without locks.
        activeGoalOfObjective = this.objectives.Keys.ToDictionary(id => id, ComputeActiveGoalOf);
        goalsOfItem = this.items.Keys.ToDictionary(id => id, id => (IReadOnlySet<int>)linksByItem[id].Select(ActiveGoalOf).OfType<int>().ToHashSet());
    }

    public IReadOnlyCollection<GoalNode> Goals => goals.Values;

    public IReadOnlyCollection<ObjectiveNode> Objectives => objectives.Values;

    public IReadOnlyCollection<KeyResultNode> KeyResults => keyResults.Values;

    public IReadOnlyCollection<ItemNode> Items => items.Values;

    public IReadOnlyList<LinkEdge> Links { get; }

    public GoalNode? Goal(int id) => goals.GetValueOrDefault(id);

    public ObjectiveNode? Objective(int id) => objectives.GetValueOrDefault(id);

    public KeyResultNode? KeyResult(int id) => keyResults.GetValueOrDefault(id);

    public ItemNode? Item(int id) => items.GetValueOrDefault(id);

    public IEnumerable<LinkEdge> LinksOf(int itemId) => linksByItem[itemId];

    /// <summary>The active goal an objective serves: its own goal, or the first goal up its chain of active parents; null when none.</summary>
    public int? ActiveGoalOf(int objectiveId) => activeGoalOfObjective.GetValueOrDefault(objectiveId);

    private int? ComputeActiveGoalOf(int objectiveId)
    {
        int? result = null;
        var current = objectives.GetValueOrDefault(objectiveId);
        for (var depth = 0; current is { IsActive: true } && depth < MaxParentDepth; depth++)
        {
            if (current.GoalId is { } goalId)
            {
                result = goals.GetValueOrDefault(goalId) is { IsActive: true } ? goalId : null;
                break;
            }

            current = current.ParentObjectiveId is { } parentId ? objectives.GetValueOrDefault(parentId) : null;
        }

        return result;
    }

    /// <summary>Is the objective active and does it reach an active goal?</summary>
    public bool IsJustified(int objectiveId) => ActiveGoalOf(objectiveId) is not null;

    /// <summary>The active goals a link reaches (zero or one).</summary>
    public int? ActiveGoalOf(LinkEdge link) => link.TargetType switch
    {
        LinkTargetType.Goal => goals.GetValueOrDefault(link.TargetId) is { IsActive: true } ? link.TargetId : null,
        LinkTargetType.Objective => ActiveGoalOf(link.TargetId),
        LinkTargetType.KeyResult => keyResults.GetValueOrDefault(link.TargetId) is { IsActive: true } kr ? ActiveGoalOf(kr.ObjectiveId) : null,
        _ => null,
    };

    /// <summary>The distinct active goals the item reaches through its links.</summary>
    public IReadOnlySet<int> GoalsReachedBy(int itemId) => goalsOfItem.TryGetValue(itemId, out var reached) ? reached : NoGoals;

    /// <summary>Aligned: at least one link reaches an active goal.</summary>
    public bool IsAligned(int itemId) => GoalsReachedBy(itemId).Count > 0;

    /// <summary>Active items (those that count) that reach no active goal.</summary>
    public IEnumerable<ItemNode> Orphans() => items.Values.Where(i => i.Counts && !IsAligned(i.Id));

    /// <summary>Active items linked directly to the target.</summary>
    public IEnumerable<ItemNode> ItemsLinkedTo(LinkTargetType type, int targetId) =>
        Links.Where(l => l.TargetType == type && l.TargetId == targetId).Select(l => items[l.ItemId]).Where(i => i.Counts).Distinct();

    /// <summary>
    /// Active objectives that no active item serves, directly or through one of their active key results ("paper goals").
    /// </summary>
    public IEnumerable<ObjectiveNode> UnsupportedObjectives()
    {
        var supported = SupportedTargets();
        return objectives.Values.Where(o => o.IsActive && !supported.Contains((LinkTargetType.Objective, o.Id)));
    }

    /// <summary>Active key results that no active item links to.</summary>
    public IEnumerable<KeyResultNode> UnsupportedKeyResults()
    {
        var supported = SupportedTargets();
        return keyResults.Values.Where(k => k.IsActive && !supported.Contains((LinkTargetType.KeyResult, k.Id)));
    }

    /// <summary>Every path from the item's links upwards, active or broken, with the reason a broken one stops.</summary>
    public IReadOnlyList<WhyChain> WhyChainsOf(int itemId) => linksByItem[itemId].Select(ChainOf).ToList();

    /// <summary>
    /// The same snapshot as if <paramref name="type"/> <paramref name="id"/> were retired (the impact check's question).
    /// </summary>
    public AlignmentGraph Without(LinkTargetType type, int id) => new(
        goals.Values.Select(g => type == LinkTargetType.Goal && g.Id == id ? g with { IsActive = false, Rank = null, IsRetired = true } : g),
        objectives.Values.Select(o => type == LinkTargetType.Objective && o.Id == id ? o with { IsActive = false } : o),
        keyResults.Values.Select(k => (type == LinkTargetType.KeyResult && k.Id == id) || (type == LinkTargetType.Objective && k.ObjectiveId == id) ? k with { IsActive = false } : k),
        items.Values,
        Links);

    /// <summary>
    /// What retiring <paramref name="type"/> <paramref name="id"/> would cost: active items that are aligned now and would
    /// not be, and active objectives that reach an active goal now and would not.
    /// </summary>
    public ImpactOfRetiring ImpactOfRetiring(LinkTargetType type, int id)
    {
        var after = Without(type, id);
        var lostItems = items.Values.Where(i => i.Counts && IsAligned(i.Id) && !after.IsAligned(i.Id)).OrderBy(i => i.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        var lostObjectives = objectives.Values
            .Where(o => o.IsActive && !(type == LinkTargetType.Objective && o.Id == id) && IsJustified(o.Id) && !after.IsJustified(o.Id))
            .OrderBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new ImpactOfRetiring(lostItems, lostObjectives, after);
    }

    private HashSet<(LinkTargetType, int)> SupportedTargets()
    {
        var supported = new HashSet<(LinkTargetType, int)>();
        foreach (var link in Links.Where(l => items[l.ItemId].Counts))
        {
            supported.Add((link.TargetType, link.TargetId));
            if (link.TargetType == LinkTargetType.KeyResult && keyResults.GetValueOrDefault(link.TargetId) is { IsActive: true } kr)
            {
                supported.Add((LinkTargetType.Objective, kr.ObjectiveId));
            }
        }

        return supported;
    }

    private WhyChain ChainOf(LinkEdge link)
    {
        int? keyResultId = null;
        var path = new List<int>();
        int? objectiveId;
        switch (link.TargetType)
        {
            case LinkTargetType.Goal:
                var goal = goals.GetValueOrDefault(link.TargetId);
                return new WhyChain(link.TargetType, null, [], link.TargetId, goal is { IsActive: true }, goal switch
                {
                    null => "the goal no longer exists",
                    { IsActive: false } => "the goal is no longer active",
                    _ => null,
                });
            case LinkTargetType.KeyResult:
                keyResultId = link.TargetId;
                var kr = keyResults.GetValueOrDefault(link.TargetId);
                if (kr is null)
                {
                    return new WhyChain(link.TargetType, keyResultId, [], null, false, "the key result no longer exists");
                }

                objectiveId = kr.ObjectiveId;
                if (!kr.IsActive)
                {
                    return new WhyChain(link.TargetType, keyResultId, [kr.ObjectiveId], GoalAbove(kr.ObjectiveId), false, "the key result is retired or its objective is closed");
                }

                break;
            default:
                objectiveId = link.TargetId;
                break;
        }

        for (var depth = 0; objectiveId is { } oid && depth < MaxParentDepth; depth++)
        {
            var objective = objectives.GetValueOrDefault(oid);
            if (objective is null)
            {
                return new WhyChain(link.TargetType, keyResultId, path, null, false, "the objective no longer exists");
            }

            path.Add(oid);
            if (!objective.IsActive)
            {
                return new WhyChain(link.TargetType, keyResultId, path, GoalAbove(oid), false, "the objective is closed or retired");
            }

            if (objective.GoalId is { } goalId)
            {
                var goal = goals.GetValueOrDefault(goalId);
                return new WhyChain(link.TargetType, keyResultId, path, goalId, goal is { IsActive: true },
                    goal is { IsActive: true } ? null : "the goal is no longer active");
            }

            objectiveId = objective.ParentObjectiveId;
        }

        return new WhyChain(link.TargetType, keyResultId, path, null, false, "the objective is not aligned to a goal");
    }

    /// <summary>The goal at the top of an objective's chain whatever the statuses on the way (to name what a broken chain used to serve).</summary>
    private int? GoalAbove(int objectiveId)
    {
        var current = objectives.GetValueOrDefault(objectiveId);
        for (var depth = 0; current is not null && depth < MaxParentDepth; depth++)
        {
            if (current.GoalId is { } goalId)
            {
                return goalId;
            }

            current = current.ParentObjectiveId is { } parentId ? objectives.GetValueOrDefault(parentId) : null;
        }

        return null;
    }
}

/// <summary>What retiring one goal, objective or key result would leave without a justification.</summary>
public sealed record ImpactOfRetiring(IReadOnlyList<ItemNode> Items, IReadOnlyList<ObjectiveNode> Objectives, AlignmentGraph After)
{
    public bool IsEmpty => Items.Count == 0 && Objectives.Count == 0;
}
