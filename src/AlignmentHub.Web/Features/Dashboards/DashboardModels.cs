using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.Shared;

namespace AlignmentHub.Web.Features.Dashboards;

/// <summary>A goal on the dashboard: its progress this quarter and its share of the aligned effort against its rank.</summary>
public sealed record GoalRow(int Id, int? Rank, string Title, Progress Progress, int Objectives, GoalEffort Effort);

/// <summary>One cell of the team × goal heat map: effort in points and its share of the team's counting effort.</summary>
public sealed record HeatCell(decimal Effort, decimal ShareOfTeam);

/// <summary>A team's row of the heat map: effort per goal (in the order of <see cref="HeatMap.Goals"/>) and the effort reaching no goal.</summary>
public sealed record HeatRow(int TeamId, string TeamName, IReadOnlyList<HeatCell> Cells, HeatCell Unaligned, decimal TotalEffort);

public sealed record HeatMap(IReadOnlyList<(int Id, int? Rank, string Title)> Goals, IReadOnlyList<HeatRow> Rows);

/// <summary>A key result that needs attention: off track or at risk (latest confidence), behind, or stale.</summary>
public sealed record AttentionRow(int KeyResultId, string Title, int ObjectiveId, string ObjectiveTitle, string TeamName, decimal Progress,
    ConfidenceLevel? Level, int? Confidence, bool Behind, bool Stale, int DaysSinceCheckIn);

/// <summary>A roadmap item in a dashboard list; <see cref="Effort"/> is what it counts with (1 pt when unestimated).</summary>
public sealed record ItemSummary(int Id, string Title, string TeamName, RoadmapItemStatus Status, RoadmapHorizon Horizon, decimal Effort, bool Estimated, bool IsOrphan);

/// <summary>The alignment score of one alignment review (or "now"), for the trend.</summary>
public sealed record ScorePoint(string Label, DateTimeOffset At, decimal Score, int? ReviewId);

/// <summary>Brief §4 "Dashboards: executive".</summary>
public sealed record ExecutiveDashboard(
    int ProductId,
    string ProductName,
    IReadOnlyList<ProductChoice> Products,
    Period Period,
    int ElapsedPercent,
    AlignmentFigures Figures,
    IReadOnlyList<GoalRow> Goals,
    HeatMap HeatMap,
    IReadOnlyList<AttentionRow> Attention,
    int AttentionTotal,
    IReadOnlyList<ItemSummary> LargestOrphans,
    int OrphanCount,
    decimal OrphanEffort,
    IReadOnlyList<ScorePoint> Trend,
    string EffortChartJson,
    string TrendChartJson);

/// <summary>A team's objective this quarter with its key results.</summary>
public sealed record TeamObjective(int Id, string Title, Progress Progress, bool IsActive, string? GoalTitle, int? GoalRank, IReadOnlyList<AttentionRow> KeyResults);

/// <summary>A Now / Next / Later column of the team's open items.</summary>
public sealed record HorizonSummary(RoadmapHorizon Horizon, int Count, decimal Effort, int Orphans, IReadOnlyList<ItemSummary> Items);

/// <summary>Brief §4 "Dashboards: team".</summary>
public sealed record TeamDashboard(
    int ProductId,
    string ProductName,
    IReadOnlyList<ProductChoice> Products,
    Period Period,
    int TeamId,
    string TeamName,
    IReadOnlyList<TeamChoice> Teams,
    AlignmentFigures Figures,
    IReadOnlyList<GoalEffort> Focus,
    IReadOnlyList<TeamObjective> Objectives,
    IReadOnlyList<HorizonSummary> Horizons,
    string FocusChartJson);
