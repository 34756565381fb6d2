using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.Shared;

namespace AlignmentHub.Web.Features.Alignment;

/// <summary>The Alignment page of one product: the summary strip, the orphan queue, unsupported OKRs and conflicts.</summary>
public sealed record AlignmentPage(
    int ProductId,
    string ProductName,
    IReadOnlyList<ProductOption> Products,
    AlignmentSummary Summary,
    OrphanQueue Queue,
    IReadOnlyList<UnsupportedObjectiveRow> UnsupportedObjectives,
    IReadOnlyList<UnsupportedKeyResultRow> UnsupportedKeyResults,
    AlignmentConflictList Conflicts)
{
    /// <summary>What the user ticked and chose when a re-link was refused: shown again as it was.</summary>
    public RelinkSelection Selection { get; init; } = RelinkSelection.None;
}

public sealed record ProductOption(int Id, string Name);

public sealed record TeamFilterOption(int Id, string Name, int OrphanCount);

/// <summary>The figures at the top of the page; effort counts an unestimated item as 1 pt (brief §3, coverage).</summary>
public sealed record AlignmentSummary(int OrphanCount, decimal OrphanEffort, decimal ActiveEffort, int ActiveItemCount,
    int UnsupportedObjectiveCount, int UnsupportedKeyResultCount, int ConflictCount)
{
    /// <summary>The orphans' share of active effort, in whole percent.</summary>
    public int OrphanEffortPercent => ActiveEffort == 0m ? 0 : (int)Math.Round(OrphanEffort / ActiveEffort * 100m, MidpointRounding.AwayFromZero);
}

/// <summary>One page of orphans (largest effort first), filtered by team, with what the re-link form needs.</summary>
public sealed record OrphanQueue(
    IReadOnlyList<TeamFilterOption> Teams,
    TeamFilterOption? Team,
    string? Notice,
    IReadOnlyList<OrphanRow> Rows,
    int PageNumber,
    int PageCount,
    int FilteredCount,
    decimal FilteredEffort,
    bool CanRelink,
    IReadOnlyList<LinkTargetGroup> Targets)
{
    public const int PageSize = 50;

    public int FirstShown => FilteredCount == 0 ? 0 : ((PageNumber - 1) * PageSize) + 1;

    public int LastShown => FirstShown == 0 ? 0 : FirstShown + Rows.Count - 1;

    /// <summary>The rows the user may re-link: the only ones with a checkbox.</summary>
    public IReadOnlyList<OrphanRow> EditableRows => Rows.Where(r => r.CanEdit).ToList();
}

/// <summary>An orphan with why it is one: one reason per link, or "no links at all".</summary>
public sealed record OrphanRow(int Id, string Title, string TeamName, RoadmapItemStatus Status, RoadmapHorizon Horizon, decimal? Effort,
    IReadOnlyList<string> Reasons, bool CanEdit);

/// <summary>The goal an objective serves: <see cref="IsActive"/> false when its chain ends at a goal that is no longer active.</summary>
public sealed record GoalRef(int Id, string Title, int? Rank, bool IsActive, bool IsRetired);

public sealed record UnsupportedObjectiveRow(int Id, string Title, string TeamName, string PeriodKey, GoalRef? Goal);

public sealed record UnsupportedKeyResultRow(int Id, string Title, int ObjectiveId, string ObjectiveTitle, string TeamName, string PeriodKey, GoalRef? Goal);

public sealed record ItemRef(int Id, string Title, string TeamName);

public sealed record ScheduleConflictRow(ItemRef Item, ItemRef Blocker, string Explanation);

public sealed record KeyResultRef(int Id, string Title, int ObjectiveId, string TeamName, MetricDirection Direction);

public sealed record MetricConflictRow(string MetricName, KeyResultRef Up, KeyResultRef Down);

public sealed record RetiredGoalConflictRow(ItemRef Item, IReadOnlyList<string> RetiredGoals);

public sealed record AlignmentConflictList(
    IReadOnlyList<ScheduleConflictRow> Schedule,
    IReadOnlyList<MetricConflictRow> Metrics,
    IReadOnlyList<RetiredGoalConflictRow> RetiredGoals)
{
    public int Count => Schedule.Count + Metrics.Count + RetiredGoals.Count;
}

/// <summary>The ticked items and the chosen target of a refused re-link.</summary>
public sealed record RelinkSelection(IReadOnlySet<int> ItemIds, string? Target)
{
    public static readonly RelinkSelection None = new(new HashSet<int>(), null);
}
