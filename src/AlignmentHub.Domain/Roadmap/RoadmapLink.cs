namespace AlignmentHub.Domain.Roadmap;

/// <summary>The "why" of a roadmap item: a link to one key result, objective or goal.</summary>
public sealed class RoadmapLink
{
    private RoadmapLink()
    {
    }

    internal RoadmapLink(RoadmapItem item, LinkTargetType type, int targetId)
    {
        RoadmapItemId = item.Id;
        TargetType = type;
        TargetId = targetId;
        KeyResultId = type == LinkTargetType.KeyResult ? targetId : null;
        ObjectiveId = type == LinkTargetType.Objective ? targetId : null;
        GoalId = type == LinkTargetType.Goal ? targetId : null;
    }

    public int Id { get; private set; }

    public int RoadmapItemId { get; private set; }

    public LinkTargetType TargetType { get; private set; }

    public int TargetId { get; private set; }

    // One of these is set, matching TargetType; they exist so the database can enforce the foreign key.
    public int? KeyResultId { get; private set; }

    public int? ObjectiveId { get; private set; }

    public int? GoalId { get; private set; }
}

/// <summary>The owning item depends on (is blocked by) the item <see cref="BlockerId"/>.</summary>
public sealed class ItemDependency
{
    private ItemDependency()
    {
    }

    internal ItemDependency(RoadmapItem item, int blockerId)
    {
        RoadmapItemId = item.Id;
        BlockerId = blockerId;
    }

    public int Id { get; private set; }

    public int RoadmapItemId { get; private set; }

    public int BlockerId { get; private set; }
}
