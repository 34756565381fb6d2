using System.Globalization;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.Web.Features.Okrs;

/// <summary>How the OKR pages put key results, values and flags into words.</summary>
public static class OkrText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A value with its unit: "336 ms", "45 %", "3.80 EUR", "Done".</summary>
    public static string Value(KeyResultView kr, decimal? value)
    {
        if (value is not { } v)
        {
            return "—";
        }

        if (kr.IsYesNo)
        {
            return v >= 1m ? "Done" : "Not yet";
        }

        return kr.MetricType switch
        {
            MetricType.Percent => Number(v) + " %",
            MetricType.Currency => Money(v) + (kr.CurrencyCode is { } code ? " " + code : string.Empty),
            _ => string.IsNullOrEmpty(kr.Unit) ? Number(v) : Number(v) + " " + kr.Unit,
        };
    }

    public static string Number(decimal value) => value.ToString("#,0.##", Invariant);

    private static string Money(decimal value) =>
        value == decimal.Truncate(value) ? value.ToString("#,0", Invariant) : value.ToString("#,0.00", Invariant);

    /// <summary>The unit to show beside the check-in value field: "(days)", "(%)", "(EUR)".</summary>
    public static string? UnitLabel(KeyResultView kr) => kr.MetricType switch
    {
        MetricType.Percent => "%",
        MetricType.Currency => kr.CurrencyCode,
        MetricType.Boolean or MetricType.Milestone => null,
        _ => string.IsNullOrEmpty(kr.Unit) ? null : kr.Unit,
    };

    public static string TypeName(MetricType type) => type switch
    {
        MetricType.Number => "Number",
        MetricType.Percent => "Percentage",
        MetricType.Currency => "Amount of money",
        MetricType.Boolean => "Yes / no",
        MetricType.Milestone => "Milestone",
        _ => type.ToString(),
    };

    /// <summary>The direction in words: "Decrease: lower is better".</summary>
    public static string Direction(KeyResultView kr)
    {
        if (kr.IsYesNo)
        {
            return kr.MetricType == MetricType.Milestone ? "Reached or not: done is 100 %" : "Yes or no: yes is 100 %";
        }

        return kr.Direction switch
        {
            MetricDirection.Increase => "Increase: higher is better",
            MetricDirection.Decrease => "Decrease: lower is better",
            MetricDirection.StayAbove => "Stay above a threshold: 100 % while it holds, else 0 %",
            MetricDirection.StayBelow => "Stay below a threshold: 100 % while it holds, else 0 %",
            MetricDirection.StayWithin => "Stay within a band: 100 % while inside, else 0 %",
            _ => kr.Direction.ToString(),
        };
    }

    /// <summary>Where the key result starts and where it should end: "420 ms → 250 ms", or the band.</summary>
    public static string Goalposts(KeyResultView kr)
    {
        if (kr.IsYesNo)
        {
            return "Not yet → Done";
        }

        return kr.Direction switch
        {
            MetricDirection.StayWithin => $"Keep between {Value(kr, kr.BandLow)} and {Value(kr, kr.BandHigh)}",
            MetricDirection.StayAbove => $"Keep at or above {Value(kr, kr.Target)}",
            MetricDirection.StayBelow => $"Keep at or below {Value(kr, kr.Target)}",
            _ => $"{Value(kr, kr.Baseline)} → {Value(kr, kr.Target)}",
        };
    }

    /// <summary>The short "now / target" line of a key result in a list.</summary>
    public static string NowAndTarget(KeyResultView kr)
    {
        var now = kr.Current is null ? "no check-in yet" : Value(kr, kr.Current);
        if (kr.IsYesNo)
        {
            return now;
        }

        return kr.Direction switch
        {
            MetricDirection.StayWithin => $"{now} · band {Value(kr, kr.BandLow)} – {Value(kr, kr.BandHigh)}",
            MetricDirection.StayAbove => $"{now} · stay ≥ {Value(kr, kr.Target)}",
            MetricDirection.StayBelow => $"{now} · stay ≤ {Value(kr, kr.Target)}",
            _ => $"{now} · target {Value(kr, kr.Target)}",
        };
    }

    public static string Level(ConfidenceLevel level) => level switch
    {
        ConfidenceLevel.OnTrack => "On track",
        ConfidenceLevel.AtRisk => "At risk",
        _ => "Off track",
    };

    public static string LevelCss(ConfidenceLevel? level) => level switch
    {
        ConfidenceLevel.OnTrack => "okr-flag-on-track",
        ConfidenceLevel.AtRisk => "okr-flag-at-risk",
        ConfidenceLevel.OffTrack => "okr-flag-off-track",
        _ => "okr-flag-none",
    };

    public static string LevelIcon(ConfidenceLevel? level) => level switch
    {
        ConfidenceLevel.OnTrack => "bi-check-circle-fill",
        ConfidenceLevel.AtRisk => "bi-exclamation-triangle-fill",
        ConfidenceLevel.OffTrack => "bi-x-octagon-fill",
        _ => "bi-dash-circle",
    };

    /// <summary>"8 · on track" for the confidence select.</summary>
    public static string ConfidenceOption(int confidence) =>
        confidence.ToString(Invariant) + " · " + Level(CheckIn.LevelOf(confidence)).ToLowerInvariant();

    public static string StaleReason(KeyResultFlags f) => f.LastCheckInAt is null
        ? $"No check-in since it was created {Days(f.DaysSinceCheckIn)} ago; the cadence is every {Days(f.CadenceDays)}."
        : $"Last check-in {Days(f.DaysSinceCheckIn)} ago; the cadence is every {Days(f.CadenceDays)}.";

    public static string BehindReason(KeyResultView kr) =>
        $"Progress {kr.Progress.RolledUp.ToString("0.#", Invariant)} % lags the {kr.Flags.ElapsedPercent} % of the period elapsed by more than {KeyResult.BehindThresholdPoints.ToString("0", Invariant)} points.";

    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    public static string Status(ObjectiveStatus status) => status switch
    {
        ObjectiveStatus.Active => "Active",
        ObjectiveStatus.Closed => "Closed",
        _ => "Retired",
    };

    public static string Score(decimal score) => score.ToString("0.0#", Invariant);

    /// <summary>
    /// The trend chart's data, drawn by wwwroot/js/okr-charts.js: check-ins in time order, the target (or the band),
    /// and confidence for the second axis. Serialised to a string so that Razor HTML-encodes it into the attribute.
    /// Times go as numbers (Unix milliseconds) and the script writes the axis labels: with a few hundred check-ins per
    /// key result, quoted date strings were most of the page and of the encoding work on every request.
    /// </summary>
    public static string ChartJson(KeyResultView kr, IReadOnlyList<CheckInRow> history)
    {
        var ordered = history.OrderBy(c => c.At).ThenBy(c => c.Id).ToList();
        var data = new
        {
            title = kr.Title,
            unit = kr.IsYesNo ? null : UnitLabel(kr),
            yesNo = kr.IsYesNo,
            at = ordered.Select(c => c.At.ToUnixTimeMilliseconds()).ToList(),
            values = ordered.Select(c => c.Value).ToList(),
            confidence = ordered.Select(c => c.Confidence).ToList(),
            target = kr.IsYesNo ? 1m : kr.Direction == MetricDirection.StayWithin ? (decimal?)null : kr.Target,
            bandLow = kr.Direction == MetricDirection.StayWithin && !kr.IsYesNo ? kr.BandLow : null,
            bandHigh = kr.Direction == MetricDirection.StayWithin && !kr.IsYesNo ? kr.BandHigh : null,
            baseline = kr.IsYesNo || kr.Direction is not (MetricDirection.Increase or MetricDirection.Decrease) ? (decimal?)null : kr.Baseline,
        };
        return JsonSerializer.Serialize(data);
    }

    /// <summary>The chart's text alternative for screen readers (the table in the details is the full one).</summary>
    public static string ChartLabel(KeyResultView kr, IReadOnlyList<CheckInRow> history)
    {
        if (history.Count == 0)
        {
            return $"Trend of {kr.Title}: no check-ins yet.";
        }

        var first = history.MinBy(c => (c.At, c.Id))!;
        var last = history.MaxBy(c => (c.At, c.Id))!;
        return $"Trend of {kr.Title}: {history.Count} check-in{(history.Count == 1 ? string.Empty : "s")}, from {Value(kr, first.Value)} on {first.At:d MMM} to {Value(kr, last.Value)} on {last.At:d MMM}; target {Goalposts(kr)}. The table below lists every check-in.";
    }
}
