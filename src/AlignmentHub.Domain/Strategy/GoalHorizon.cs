namespace AlignmentHub.Domain.Strategy;

/// <summary>How far out a business goal looks.</summary>
public enum GoalHorizon
{
    /// <summary>This quarter or next.</summary>
    ShortTerm = 1,

    /// <summary>Within the year.</summary>
    MidTerm = 2,

    /// <summary>Beyond a year.</summary>
    LongTerm = 3,
}

public enum GoalStatus
{
    Active = 1,
    Achieved = 2,
    Retired = 3,
}
