namespace AlignmentHub.Domain.Roadmap;

public enum RoadmapItemKind
{
    Feature = 1,
    Initiative = 2,
}

public enum RoadmapItemStatus
{
    Idea = 1,
    Planned = 2,
    InProgress = 3,
    Shipped = 4,
    Dropped = 5,
}

public enum RoadmapHorizon
{
    Now = 1,
    Next = 2,
    Later = 3,
}

public enum LinkTargetType
{
    KeyResult = 1,
    Objective = 2,
    Goal = 3,
}
