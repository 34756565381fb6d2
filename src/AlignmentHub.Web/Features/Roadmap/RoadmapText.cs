using System.Globalization;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>How the roadmap views word statuses, horizons, effort and targets.</summary>
public static class RoadmapText
{
    private const int MaxQuoted = 24;

    public static readonly IReadOnlyList<RoadmapHorizon> Horizons = [RoadmapHorizon.Now, RoadmapHorizon.Next, RoadmapHorizon.Later];

    public static readonly IReadOnlyList<RoadmapItemStatus> Statuses =
        [RoadmapItemStatus.Idea, RoadmapItemStatus.Planned, RoadmapItemStatus.InProgress, RoadmapItemStatus.Shipped, RoadmapItemStatus.Dropped];

    public static string Status(RoadmapItemStatus status) => AlignmentHub.Web.Features.RoadmapItems.ItemText.Status(status);

    /// <summary>The CSS modifier of a status badge (colour, icon and text together).</summary>
    public static string StatusClass(RoadmapItemStatus status) => "roadmap-status-" + status.ToString().ToLowerInvariant();

    public static string StatusIcon(RoadmapItemStatus status) => status switch
    {
        RoadmapItemStatus.Idea => "bi-lightbulb",
        RoadmapItemStatus.Planned => "bi-calendar-check",
        RoadmapItemStatus.InProgress => "bi-play-circle",
        RoadmapItemStatus.Shipped => "bi-check-circle",
        _ => "bi-x-circle",
    };

    /// <summary>"8 pts", "0.5 pts", "1,234 pts"; "not estimated" when there is no effort.</summary>
    public static string Effort(decimal? effort) => effort is { } e ? Points(e) : "not estimated";

    public static string Points(decimal points) => points.ToString("#,0.##", CultureInfo.InvariantCulture) + (points == 1m ? " pt" : " pts");

    public static string Rice(decimal? score) => score is { } s ? s.ToString("#,0.#", CultureInfo.InvariantCulture) : "—";

    public static string Count(int count, string singular, string plural) =>
        count.ToString("#,0", CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);

    /// <summary>The item's target: its dates when it has them, else its target quarter, else "unscheduled".</summary>
    public static string Target(string? periodKey, DateOnly? start, DateOnly? end) =>
        start is { } s && end is { } e
            ? s.Year == e.Year
                ? $"{s.ToString("d MMM", CultureInfo.InvariantCulture)} – {e.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
                : $"{s.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {e.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
            : periodKey ?? "Unscheduled";

    /// <summary>What the user typed, fit to be quoted back in a notice: short, without control characters.</summary>
    public static string Quote(string text)
    {
        var trimmed = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return trimmed.Length <= MaxQuoted ? trimmed : trimmed[..MaxQuoted] + "…";
    }

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
