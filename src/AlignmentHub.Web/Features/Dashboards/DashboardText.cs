using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Features.Dashboards;

/// <summary>How the dashboards put figures into words: every number with its unit.</summary>
public static class DashboardText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A share 0–1 as "80.8 %".</summary>
    public static string Percent(decimal share) => (share * 100m).ToString("0.#", Invariant) + " %";

    /// <summary>Effort as "21 pts" / "1 pt" / "2.5 pts".</summary>
    public static string Points(decimal effort) => effort.ToString("#,0.#", Invariant) + (effort == 1m ? " pt" : " pts");

    public static string Number(decimal value) => value.ToString("#,0.#", Invariant);

    public static string Status(RoadmapItemStatus status) => AlignmentHub.Web.Features.RoadmapItems.ItemText.Status(status);

    /// <summary>The score's working with its inputs: "50 × 80.8 % + 20 × (1 − 33.3 %) + …= 66.2".</summary>
    public static IReadOnlyList<(string Term, string Inputs, string Points)> ScoreTerms(AlignmentFigures f) =>
    [
        ("50 × coverage", $"{Points(f.AlignedEffort)} aligned ÷ {Points(f.TotalEffort)} of active items = {Percent(f.Coverage)}", Number(50m * f.Coverage)),
        ("20 × (1 − unsupported share)", $"{f.UnsupportedObjectivesAndKeyResults} of {f.ActiveObjectivesAndKeyResults} active objectives and key results have no active item = {Percent(f.UnsupportedShare)}", Number(20m * (1m - f.UnsupportedShare))),
        ("15 × freshness", $"{f.ActiveKeyResults - f.StaleKeyResults} of {f.ActiveKeyResults} active key results checked in within their cadence = {Percent(f.Freshness)}", Number(15m * f.Freshness)),
        ("15 × priority fit", $"1 − ({f.Inversions.Count} inversion{(f.Inversions.Count == 1 ? "" : "s")} ÷ {f.ComparedGoalPairs} pairs of ranked goals) = {Percent(f.PriorityFit)}", Number(15m * f.PriorityFit)),
    ];

    /// <summary>A heat-map cell's shade: 0–5 by the share of the team's effort.</summary>
    public static int Shade(decimal share) => share switch
    {
        <= 0m => 0,
        < 0.1m => 1,
        < 0.25m => 2,
        < 0.5m => 3,
        < 0.75m => 4,
        _ => 5,
    };
}
