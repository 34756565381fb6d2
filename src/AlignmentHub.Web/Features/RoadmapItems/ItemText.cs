using System.Globalization;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Features.RoadmapItems;

/// <summary>How the roadmap pages put an item's fields into words.</summary>
public static class ItemText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The RICE impact scale, as offered in the form.</summary>
    public static readonly IReadOnlyList<(decimal Value, string Label)> ImpactScale =
    [
        (0.25m, "0.25 · minimal"),
        (0.5m, "0.5 · low"),
        (1m, "1 · medium"),
        (2m, "2 · high"),
        (3m, "3 · massive"),
    ];

    public static string Status(RoadmapItemStatus status) => status switch
    {
        RoadmapItemStatus.Idea => "Idea",
        RoadmapItemStatus.Planned => "Planned",
        RoadmapItemStatus.InProgress => "In progress",
        RoadmapItemStatus.Shipped => "Shipped",
        RoadmapItemStatus.Dropped => "Dropped",
        _ => "—",
    };

    /// <summary>The CSS modifier of a status badge: "item-status-in-progress".</summary>
    public static string StatusCss(RoadmapItemStatus status) => "item-status-" + status switch
    {
        RoadmapItemStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Horizon(RoadmapHorizon horizon) => horizon switch
    {
        RoadmapHorizon.Now => "Now",
        RoadmapHorizon.Next => "Next",
        RoadmapHorizon.Later => "Later",
        _ => "—",
    };

    public static string Kind(RoadmapItemKind kind) => kind switch
    {
        RoadmapItemKind.Feature => "Feature",
        RoadmapItemKind.Initiative => "Initiative",
        _ => "—",
    };

    /// <summary>Customer evidence importance in words (1 = nice to have, 3 = critical).</summary>
    public static string Importance(int importance) => importance switch
    {
        1 => "Nice to have",
        2 => "Important",
        3 => "Critical",
        _ => "—",
    };

    public static string Points(decimal? effort) => effort is { } e ? Number(e) + " pts" : "Not estimated";

    public static string Number(decimal value) => value.ToString("#,0.##", Invariant);

    public static string Impact(decimal value) => ImpactScale.FirstOrDefault(i => i.Value == value).Label ?? Number(value);

    /// <summary>"2027-Q1", "3 Feb – 28 Mar 2027", or "Not scheduled yet".</summary>
    public static string Schedule(string? targetPeriodKey, DateOnly? start, DateOnly? end) =>
        start is { } s && end is { } e
            ? $"{s.ToString("d MMM yyyy", Invariant)} – {e.ToString("d MMM yyyy", Invariant)}"
            : targetPeriodKey ?? "Not scheduled yet";

    /// <summary>The working behind a RICE score (brief §2: every figure answers "how was this calculated?").</summary>
    public static string RiceFormula(int? reach, decimal? impact, int? confidence, decimal? effort, decimal? score)
    {
        if (score is { } s && reach is { } r && impact is { } i && confidence is { } c && effort is { } e)
        {
            return $"RICE = reach × impact × confidence ÷ effort = {r.ToString("#,0", Invariant)} × {Number(i)} × {c.ToString(Invariant)} % ÷ {Number(e)} pts = {Number(s)}.";
        }

        var missing = new List<string>();
        if (reach is null)
        {
            missing.Add("reach");
        }

        if (impact is null)
        {
            missing.Add("impact");
        }

        if (confidence is null)
        {
            missing.Add("confidence");
        }

        if (effort is not > 0m)
        {
            missing.Add("effort");
        }

        return "RICE = reach × impact × confidence ÷ effort. It needs all four; missing: " + string.Join(", ", missing) + ".";
    }
}
