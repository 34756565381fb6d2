namespace AlignmentHub.Domain.Okrs;

public enum MetricType
{
    Number = 1,
    Percent = 2,
    Currency = 3,
    Boolean = 4,
    Milestone = 5,
}

public enum MetricDirection
{
    Increase = 1,
    Decrease = 2,
    StayAbove = 3,
    StayBelow = 4,
    StayWithin = 5,
}

public enum ObjectiveStatus
{
    Active = 1,
    Closed = 2,
    Retired = 3,
}

public enum KeyResultStatus
{
    Active = 1,
    Retired = 2,
}

/// <summary>How a check-in's confidence reads (brief §2): ≥ 7 on track, 4–6 at risk, ≤ 3 off track.</summary>
public enum ConfidenceLevel
{
    OffTrack = 1,
    AtRisk = 2,
    OnTrack = 3,
}
