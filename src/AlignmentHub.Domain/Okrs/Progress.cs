using System.Globalization;

namespace AlignmentHub.Domain.Okrs;

/// <summary>
/// A progress figure with its working (brief §2: every figure can answer "how was this calculated?").
/// <see cref="Shown"/> may exceed 100 (over-achievement); <see cref="RolledUp"/> is capped to 0–100 for roll-ups.
/// </summary>
public sealed record Progress(decimal Shown, decimal RolledUp, bool OverAchieved, bool WorseThanBaseline, string Formula)
{
    public static Progress Zero(string formula) => new(0m, 0m, false, false, formula);
}

/// <summary>The progress engine of brief §2, for one key result and for weighted roll-ups.</summary>
public static class ProgressCalculator
{
    public static Progress ForKeyResult(MetricType type, MetricDirection direction, decimal baseline, decimal target,
        decimal? bandLow, decimal? bandHigh, decimal? current)
    {
        var value = current ?? baseline;
        var v = Format(value);

        if (type is MetricType.Boolean or MetricType.Milestone)
        {
            var done = value >= 1m;
            return done
                ? new Progress(100m, 100m, false, false, $"{(type == MetricType.Boolean ? "Yes/no" : "Milestone")}: reached → 100 %")
                : Progress.Zero($"{(type == MetricType.Boolean ? "Yes/no" : "Milestone")}: not reached yet → 0 %");
        }

        switch (direction)
        {
            case MetricDirection.StayAbove:
                return value >= target
                    ? new Progress(100m, 100m, false, false, $"Stay above {Format(target)}: current {v} ≥ {Format(target)} → 100 %")
                    : Progress.Zero($"Stay above {Format(target)}: current {v} < {Format(target)} → 0 %");
            case MetricDirection.StayBelow:
                return value <= target
                    ? new Progress(100m, 100m, false, false, $"Stay below {Format(target)}: current {v} ≤ {Format(target)} → 100 %")
                    : Progress.Zero($"Stay below {Format(target)}: current {v} > {Format(target)} → 0 %");
            case MetricDirection.StayWithin:
                var low = bandLow ?? target;
                var high = bandHigh ?? target;
                return value >= low && value <= high
                    ? new Progress(100m, 100m, false, false, $"Stay within {Format(low)}–{Format(high)}: current {v} is inside → 100 %")
                    : Progress.Zero($"Stay within {Format(low)}–{Format(high)}: current {v} is outside → 0 %");
            default:
                var span = target - baseline;
                if (span == 0m)
                {
                    return Progress.Zero("Target equals baseline: progress cannot be computed.");
                }

                var ratio = (value - baseline) / span;
                var percent = Math.Round(ratio * 100m, 1, MidpointRounding.AwayFromZero);
                var formula = $"(current − baseline) ÷ (target − baseline) = ({v} − {Format(baseline)}) ÷ ({Format(target)} − {Format(baseline)}) = {Format(percent)} %";
                if (ratio < 0m)
                {
                    return new Progress(0m, 0m, false, true, formula + " → shown as 0 % (worse than baseline)");
                }

                return ratio > 1m
                    ? new Progress(percent, 100m, true, false, formula + " → over-achieved; counts as 100 % in roll-ups")
                    : new Progress(percent, percent, false, false, formula);
        }
    }

    /// <summary>Weighted mean of rolled-up progress values (objective from key results, goal from objectives).</summary>
    public static Progress WeightedMean(IReadOnlyCollection<(string Name, decimal Progress, decimal Weight)> parts, string whatIsEmpty)
    {
        var totalWeight = parts.Sum(p => p.Weight);
        if (parts.Count == 0 || totalWeight <= 0m)
        {
            return Progress.Zero($"No {whatIsEmpty} yet → 0 %");
        }

        var mean = Math.Round(parts.Sum(p => p.Progress * p.Weight) / totalWeight, 1, MidpointRounding.AwayFromZero);
        var terms = string.Join(" + ", parts.Select(p => $"{Format(p.Progress)} % × {Format(p.Weight)}"));
        return new Progress(mean, mean, false, false, $"Weighted mean: ({terms}) ÷ {Format(totalWeight)} = {Format(mean)} %");
    }

    internal static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
