using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Strategy;

namespace AlignmentHub.Web.Features.Okrs;

/// <summary>A period as the pages show it: "2026-Q4", its dates and how much of it has elapsed.</summary>
public sealed record PeriodView(string Key, DateOnly StartDate, DateOnly EndDate, int ElapsedPercent, bool IsCurrent)
{
    public string Dates => $"{StartDate:d MMM} – {EndDate:d MMM yyyy}";
}

public sealed record TeamOption(int Id, string Name);

/// <summary>The flags of a key result, wherever it appears (brief §2).</summary>
public sealed record KeyResultFlags(
    int? Confidence,
    DateTimeOffset? LastCheckInAt,
    int CadenceDays,
    bool Stale,
    bool Behind,
    int ElapsedPercent,
    int DaysSinceCheckIn)
{
    public ConfidenceLevel? Level => Confidence is { } c ? CheckIn.LevelOf(c) : null;
}

/// <summary>One key result with its progress (computed by the domain) and its flags.</summary>
public sealed record KeyResultView(
    int Id,
    int ObjectiveId,
    string Title,
    MetricType MetricType,
    MetricDirection Direction,
    decimal Baseline,
    decimal Target,
    decimal? BandLow,
    decimal? BandHigh,
    decimal? Current,
    string? Unit,
    string? CurrencyCode,
    decimal Weight,
    bool IsActive,
    Progress Progress,
    KeyResultFlags Flags)
{
    public bool IsYesNo => MetricType is MetricType.Boolean or MetricType.Milestone;

    /// <summary>
    /// The view of a key result. Stale and behind only apply while its objective is active: a closed objective's key
    /// results are history, not a warning.
    /// </summary>
    public static KeyResultView From(KeyResult k, Period? period, DateTimeOffset now, int? latestConfidence, bool objectiveActive = true)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var elapsed = period is null ? 0 : (int)Math.Round(period.ElapsedShare(today) * 100m, MidpointRounding.AwayFromZero);
        var since = (int)Math.Floor((now - (k.LastCheckInAt ?? k.CreatedAt)).TotalDays);
        var flags = new KeyResultFlags(latestConfidence, k.LastCheckInAt, k.CadenceDays, objectiveActive && k.IsStale(now),
            objectiveActive && period is not null && k.IsBehind(period, today), elapsed, Math.Max(0, since));
        return new KeyResultView(k.Id, k.ObjectiveId, k.Title, k.MetricType, k.Direction, k.Baseline, k.Target, k.BandLow, k.BandHigh,
            k.Current, k.Unit, k.CurrencyCode, k.Weight, k.Status == KeyResultStatus.Active, k.Progress(), flags);
    }
}

public sealed record ObjectiveSummary(
    int Id,
    string Title,
    int TeamId,
    string TeamName,
    string? OwnerName,
    ObjectiveStatus Status,
    decimal? Score,
    Progress Progress,
    IReadOnlyList<KeyResultView> KeyResults);

/// <summary>An objective that lives elsewhere (another team, another period), named with a link.</summary>
public sealed record ObjectiveRef(int Id, string Title, string TeamName);

public sealed record GoalRef(int Id, int ProductId, string ProductName, int? Rank, string Title, GoalStatus Status);

/// <summary>An objective in the tree: objectives contributing to it are nested under it.</summary>
public sealed record ObjectiveNode(ObjectiveSummary Objective, IReadOnlyList<ObjectiveNode> Children, ObjectiveRef? ContributesTo);

/// <summary>
/// The objectives serving one goal (Goal is null for objectives whose chain reaches no goal), and the goal's progress
/// this period: the weighted mean of the shown objectives aligned directly to it (brief §2).
/// </summary>
public sealed record GoalGroup(GoalRef? Goal, IReadOnlyList<ObjectiveNode> Objectives, Progress? Progress = null);

public sealed record OkrSummaryCounts(int Objectives, int KeyResults, int OnTrack, int AtRisk, int OffTrack, int NoCheckIn, int Stale, int Behind);

public sealed record OkrListPage(
    IReadOnlyList<PeriodView> Periods,
    PeriodView Period,
    string? PreviousKey,
    string? NextKey,
    IReadOnlyList<TeamOption> Teams,
    TeamOption? Team,
    string? Notice,
    IReadOnlyList<GoalGroup> Groups,
    OkrSummaryCounts Counts,
    bool ShowsProductNames,
    bool CanCreate,
    int? CreateTeamId)
{
    public bool IsEmpty => Groups.Count == 0;
}

public sealed record CheckInRow(int Id, DateTimeOffset At, decimal Value, int Confidence, string? Note, string AuthorName);

/// <summary>A roadmap item (not archived) linked to an objective or key result, as its page lists it.</summary>
public sealed record LinkedItem(int Id, string Title, AlignmentHub.Domain.Roadmap.RoadmapItemStatus Status, string TeamName);

public sealed record KeyResultDetail(KeyResultView KeyResult, IReadOnlyList<CheckInRow> History, string ChartJson, bool CanMove, IReadOnlyList<LinkedItem> Items);

public sealed record ObjectivePage(
    int Id,
    string Title,
    string? Description,
    ObjectiveStatus Status,
    decimal? Score,
    string? Retrospective,
    PeriodView Period,
    int TeamId,
    string TeamName,
    string? OwnerName,
    GoalRef? Goal,
    ObjectiveRef? Parent,
    GoalRef? GoalViaParent,
    IReadOnlyList<ObjectiveRef> Contributors,
    Progress Progress,
    IReadOnlyList<KeyResultDetail> KeyResults,
    IReadOnlyList<string> RetiredKeyResults,
    bool CanEdit,
    bool CanCheckIn,
    IReadOnlyList<LinkedItem> Items);

/// <summary>The check-in form of one key result, with what the user typed when it was rejected.</summary>
public sealed record CheckInFormModel(KeyResultView KeyResult, bool Rejected, string? Value, string? Confidence, string? Note);

/// <summary>One page of a key result's check-ins, newest first.</summary>
public sealed record CheckInHistoryPage(
    KeyResultView KeyResult,
    int ObjectiveId,
    string ObjectiveTitle,
    string PeriodKey,
    int TeamId,
    string TeamName,
    IReadOnlyList<CheckInRow> Rows,
    int Total,
    int Page,
    int Pages,
    bool RequestedPageExists);

/// <summary>A table of check-ins (newest first) as the objective page and the history page show it.</summary>
public sealed record CheckInTable(KeyResultView KeyResult, IReadOnlyList<CheckInRow> Rows, string Caption);
