using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Features.Impact;

/// <summary>
/// The impact check's arithmetic over one snapshot: what retiring the subject costs (<see cref="AlignmentGraph.ImpactOfRetiring"/>),
/// which of the affected objectives are "roots" (they hang directly from the subject or from something no longer active)
/// and which only follow a root, and which items would reach a goal again once the roots are re-aligned.
/// </summary>
/// <remarks>
/// Re-aligning only the roots keeps a team's cascade intact: a child objective keeps its parent and follows it, just as
/// an item linked to a key result follows that key result's objective.
/// </remarks>
public sealed class ImpactPlan
{
    // Stands for "any goal still active" when probing which items would follow their objectives; never a real id.
    private const int StandInGoalId = 0;

    private readonly HashSet<int> affectedObjectives;

    public ImpactPlan(AlignmentGraph graph, LinkTargetType type, int id)
    {
        Impact = graph.ImpactOfRetiring(type, id);
        affectedObjectives = Impact.Objectives.Select(o => o.Id).ToHashSet();
        Roots = Impact.Objectives.Where(o => o.ParentObjectiveId is not { } parent || !affectedObjectives.Contains(parent)).ToList();
        var rootIds = Roots.Select(r => r.Id).ToHashSet();
        FollowingObjectives = affectedObjectives.Where(o => !rootIds.Contains(o)).ToHashSet();
        var probe = Roots.Count == 0 ? After : RealignedToAnyGoal();
        FollowingItems = Impact.Items.Where(i => probe.IsAligned(i.Id)).Select(i => i.Id).ToHashSet();
    }

    public ImpactOfRetiring Impact { get; }

    /// <summary>The snapshot as if the subject were retired.</summary>
    public AlignmentGraph After => Impact.After;

    /// <summary>Affected objectives whose own link up (goal or parent) is what breaks: the ones a re-link changes.</summary>
    public IReadOnlyList<ObjectiveNode> Roots { get; }

    /// <summary>Affected objectives below another affected one: they follow it when it is re-aligned.</summary>
    public IReadOnlySet<int> FollowingObjectives { get; }

    /// <summary>Affected items that reach a goal again once the affected objectives are re-aligned.</summary>
    public IReadOnlySet<int> FollowingItems { get; }

    public bool IsAffected(int objectiveId) => affectedObjectives.Contains(objectiveId);

    /// <summary>The snapshot after retiring the subject and re-aligning the root objectives to a goal or a parent objective.</summary>
    public AlignmentGraph Realigned(int? goalId, int? parentId, GoalNode? extraGoal = null)
    {
        var roots = Roots.Select(r => r.Id).ToHashSet();
        return new AlignmentGraph(
            extraGoal is null ? After.Goals : After.Goals.Append(extraGoal),
            After.Objectives.Select(o => roots.Contains(o.Id) ? o with { GoalId = goalId, ParentObjectiveId = parentId } : o),
            After.KeyResults,
            After.Items,
            After.Links);
    }

    /// <summary>The same, with the roots re-aligned to a stand-in active goal: which items follow whatever valid target is chosen.</summary>
    public AlignmentGraph RealignedToAnyGoal() => Realigned(StandInGoalId, null, new GoalNode(StandInGoalId, string.Empty, true, null));

    /// <summary>The snapshot after retiring the subject and every affected objective (their key results stop counting with them).</summary>
    public AlignmentGraph Dropped() => new(
        After.Goals,
        After.Objectives.Select(o => affectedObjectives.Contains(o.Id) ? o with { IsActive = false } : o),
        After.KeyResults.Select(k => affectedObjectives.Contains(k.ObjectiveId) ? k with { IsActive = false } : k),
        After.Items,
        After.Links);
}
