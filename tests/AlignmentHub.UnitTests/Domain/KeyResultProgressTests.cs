using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.UnitTests.Domain;

public class KeyResultProgressTests
{
    private static readonly MetricType[] Numeric = [MetricType.Number, MetricType.Percent, MetricType.Currency];

    // (direction, baseline, target, bandLow, bandHigh, current, shown, rolledUp, overAchieved, worseThanBaseline)
    private static readonly object?[][] DirectionCases =
    [
        // Increase: progress = (current − baseline) ÷ (target − baseline)
        [MetricDirection.Increase, 50m, 90m, null, null, 70m, 50m, 50m, false, false], // (70 − 50) ÷ (90 − 50) = 50 %
        [MetricDirection.Increase, 50m, 90m, null, null, 90m, 100m, 100m, false, false], // (90 − 50) ÷ 40 = 100 %
        [MetricDirection.Increase, 50m, 90m, null, null, 110m, 150m, 100m, true, false], // (110 − 50) ÷ 40 = 150 % → rolled up 100
        [MetricDirection.Increase, 50m, 90m, null, null, 30m, 0m, 0m, false, true], // (30 − 50) ÷ 40 = −50 % → shown 0, worse
        [MetricDirection.Increase, 50m, 90m, null, null, 50m, 0m, 0m, false, false], // (50 − 50) ÷ 40 = 0 %, not worse
        [MetricDirection.Increase, 50m, 90m, null, null, null, 0m, 0m, false, false], // no check-in → baseline → 0 %
        [MetricDirection.Increase, 0m, 3m, null, null, 1m, 33.3m, 33.3m, false, false], // 1 ÷ 3 = 33.33… → 33.3 %
        [MetricDirection.Increase, -10m, 10m, null, null, 0m, 50m, 50m, false, false], // (0 + 10) ÷ 20 = 50 %
        // Decrease (lower is better), same formula: the negative span makes the ratio positive
        [MetricDirection.Decrease, 40m, 20m, null, null, 30m, 50m, 50m, false, false], // (30 − 40) ÷ (20 − 40) = 50 %
        [MetricDirection.Decrease, 40m, 20m, null, null, 25m, 75m, 75m, false, false], // (25 − 40) ÷ (−20) = 75 %
        [MetricDirection.Decrease, 40m, 20m, null, null, 20m, 100m, 100m, false, false], // (20 − 40) ÷ (−20) = 100 %
        [MetricDirection.Decrease, 40m, 20m, null, null, 10m, 150m, 100m, true, false], // (10 − 40) ÷ (−20) = 150 % → 100
        [MetricDirection.Decrease, 40m, 20m, null, null, 50m, 0m, 0m, false, true], // (50 − 40) ÷ (−20) = −50 % → 0, worse
        [MetricDirection.Decrease, 40m, 20m, null, null, null, 0m, 0m, false, false], // no check-in → baseline → 0 %
        // Stay above 95: 100 % while current ≥ 95
        [MetricDirection.StayAbove, 97m, 95m, null, null, 96m, 100m, 100m, false, false],
        [MetricDirection.StayAbove, 97m, 95m, null, null, 95m, 100m, 100m, false, false], // boundary holds
        [MetricDirection.StayAbove, 97m, 95m, null, null, 94.9m, 0m, 0m, false, false],
        [MetricDirection.StayAbove, 90m, 95m, null, null, null, 0m, 0m, false, false], // no check-in → baseline 90 < 95
        // Stay below 2: 100 % while current ≤ 2
        [MetricDirection.StayBelow, 1m, 2m, null, null, 1.5m, 100m, 100m, false, false],
        [MetricDirection.StayBelow, 1m, 2m, null, null, 2m, 100m, 100m, false, false], // boundary holds
        [MetricDirection.StayBelow, 1m, 2m, null, null, 2.1m, 0m, 0m, false, false],
        [MetricDirection.StayBelow, 3m, 2m, null, null, null, 0m, 0m, false, false], // no check-in → baseline 3 > 2
        // Stay within 10–20 (bounds inclusive)
        [MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 15m, 100m, 100m, false, false],
        [MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 10m, 100m, 100m, false, false],
        [MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 20m, 100m, 100m, false, false],
        [MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 9.9m, 0m, 0m, false, false],
        [MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 20.1m, 0m, 0m, false, false],
        [MetricDirection.StayWithin, 25m, 15m, 10m, 20m, null, 0m, 0m, false, false], // no check-in → baseline 25 outside
    ];

    public static IEnumerable<object?[]> NumericCases() =>
        from type in Numeric
        from row in DirectionCases
        select new object?[] { type }.Concat(row).ToArray();

    private static KeyResultDefinition Definition(MetricType type, MetricDirection direction, decimal baseline, decimal target,
        decimal? low = null, decimal? high = null) =>
        new("KR", type, direction, baseline, target, low, high, CurrencyCode: type == MetricType.Currency ? "EUR" : null);

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Key_result_progress_for_numeric_metrics(MetricType type, MetricDirection direction, decimal baseline, decimal target,
        decimal? low, decimal? high, decimal? current, decimal shown, decimal rolledUp, bool over, bool worse)
    {
        var keyResult = OkrBuilder.KeyResult(Definition(type, direction, baseline, target, low, high));
        if (current is { } value)
        {
            keyResult.CheckIn(value);
        }

        var progress = keyResult.Progress();

        Assert.Equal(shown, progress.Shown);
        Assert.Equal(rolledUp, progress.RolledUp);
        Assert.Equal(over, progress.OverAchieved);
        Assert.Equal(worse, progress.WorseThanBaseline);
        Assert.True(progress.Shown >= 0m, "progress is never negative");
        Assert.InRange(progress.RolledUp, 0m, 100m);
    }

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Calculator_matches_the_entity(MetricType type, MetricDirection direction, decimal baseline, decimal target,
        decimal? low, decimal? high, decimal? current, decimal shown, decimal rolledUp, bool over, bool worse)
    {
        var progress = ProgressCalculator.ForKeyResult(type, direction, baseline, target, low, high, current);

        Assert.Equal(new Progress(shown, rolledUp, over, worse, progress.Formula), progress);
    }

    [Theory]
    [InlineData(MetricType.Boolean, MetricDirection.Increase)]
    [InlineData(MetricType.Boolean, MetricDirection.Decrease)]
    [InlineData(MetricType.Boolean, MetricDirection.StayAbove)]
    [InlineData(MetricType.Boolean, MetricDirection.StayBelow)]
    [InlineData(MetricType.Boolean, MetricDirection.StayWithin)]
    [InlineData(MetricType.Milestone, MetricDirection.Increase)]
    [InlineData(MetricType.Milestone, MetricDirection.Decrease)]
    [InlineData(MetricType.Milestone, MetricDirection.StayAbove)]
    [InlineData(MetricType.Milestone, MetricDirection.StayBelow)]
    [InlineData(MetricType.Milestone, MetricDirection.StayWithin)]
    public void Boolean_and_milestone_are_0_or_100_whatever_the_direction(MetricType type, MetricDirection direction)
    {
        // Baseline 5 and target 3 would be invalid for an increase; yes/no metrics ignore them (always 0 → 1).
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("Launch", type, direction, 5m, 3m));
        Assert.Equal(MetricDirection.Increase, keyResult.Direction);
        Assert.Equal(0m, keyResult.Baseline);
        Assert.Equal(1m, keyResult.Target);
        Assert.Null(keyResult.BandLow);
        Assert.Null(keyResult.BandHigh);

        Assert.Equal(0m, keyResult.Progress().Shown); // no check-in: not reached

        keyResult.CheckIn(0m, TestTime.T0.AddDays(1));
        Assert.Equal(new Progress(0m, 0m, false, false, keyResult.Progress().Formula), keyResult.Progress());

        keyResult.CheckIn(1m, TestTime.T0.AddDays(2));
        Assert.Equal(new Progress(100m, 100m, false, false, keyResult.Progress().Formula), keyResult.Progress());
        Assert.Contains("reached", keyResult.Progress().Formula, StringComparison.Ordinal);

        keyResult.CheckIn(0m, TestTime.T0.AddDays(3)); // un-reached again
        Assert.Equal(0m, keyResult.Progress().RolledUp);
    }

    [Theory]
    [InlineData(MetricType.Boolean, "Yes/no")]
    [InlineData(MetricType.Milestone, "Milestone")]
    public void Boolean_and_milestone_formulas_name_the_metric_type(MetricType type, string label)
    {
        Assert.StartsWith(label, ProgressCalculator.ForKeyResult(type, MetricDirection.Increase, 0m, 1m, null, null, 1m).Formula, StringComparison.Ordinal);
        Assert.StartsWith(label, ProgressCalculator.ForKeyResult(type, MetricDirection.Increase, 0m, 1m, null, null, 0m).Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Increase_formula_contains_the_inputs_and_result()
    {
        var progress = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.Increase, 50m, 90m, null, null, 70m);
        Assert.Contains("(70 − 50) ÷ (90 − 50) = 50 %", progress.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrease_formula_contains_the_inputs_and_result()
    {
        var progress = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.Decrease, 40m, 20m, null, null, 30m);
        Assert.Contains("(30 − 40) ÷ (20 − 40) = 50 %", progress.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_achievement_formula_shows_the_real_figure_and_the_cap()
    {
        var progress = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.Increase, 50m, 90m, null, null, 110m);
        Assert.Contains("(110 − 50) ÷ (90 − 50) = 150 %", progress.Formula, StringComparison.Ordinal);
        Assert.Contains("over-achieved", progress.Formula, StringComparison.Ordinal);
        Assert.Contains("100 %", progress.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Worse_than_baseline_formula_says_so()
    {
        var progress = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.Increase, 50m, 90m, null, null, 30m);
        Assert.Contains("(30 − 50) ÷ (90 − 50) = -50 %", progress.Formula, StringComparison.Ordinal);
        Assert.Contains("worse than baseline", progress.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Stay_formulas_contain_the_threshold_and_current_value()
    {
        var above = ProgressCalculator.ForKeyResult(MetricType.Percent, MetricDirection.StayAbove, 97m, 95m, null, null, 94.5m);
        Assert.Contains("95", above.Formula, StringComparison.Ordinal);
        Assert.Contains("94.5", above.Formula, StringComparison.Ordinal);

        var below = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.StayBelow, 1m, 2m, null, null, 1.25m);
        Assert.Contains("Stay below 2", below.Formula, StringComparison.Ordinal);
        Assert.Contains("1.25", below.Formula, StringComparison.Ordinal);

        var within = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.StayWithin, 15m, 15m, 10m, 20m, 21m);
        Assert.Contains("10–20", within.Formula, StringComparison.Ordinal);
        Assert.Contains("21", within.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Formula_uses_invariant_decimal_point()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var progress = ProgressCalculator.ForKeyResult(MetricType.Number, MetricDirection.Increase, 0m, 3m, null, null, 1.5m);
            Assert.Contains("(1.5 − 0) ÷ (3 − 0) = 50 %", progress.Formula, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Over_achievement_through_the_entity_keeps_the_shown_figure_above_100()
    {
        var keyResult = OkrBuilder.KeyResult(OkrBuilder.Increase(baseline: 0m, target: 200m));
        keyResult.CheckIn(500m); // (500 − 0) ÷ (200 − 0) = 250 %

        var progress = keyResult.Progress();

        Assert.Equal(250m, progress.Shown);
        Assert.Equal(100m, progress.RolledUp);
        Assert.True(progress.OverAchieved);
    }

    [Fact]
    public void Weighted_mean_uses_rolled_up_values_and_weights()
    {
        // (50 × 1 + 100 × 3) ÷ (1 + 3) = 350 ÷ 4 = 87.5 %
        var progress = ProgressCalculator.WeightedMean([("a", 50m, 1m), ("b", 100m, 3m)], "key results");

        Assert.Equal(87.5m, progress.Shown);
        Assert.Equal(87.5m, progress.RolledUp);
        Assert.Equal("Weighted mean: (50 % × 1 + 100 % × 3) ÷ 4 = 87.5 %", progress.Formula);
    }

    [Fact]
    public void Weighted_mean_of_nothing_is_zero_with_an_explanation()
    {
        var progress = ProgressCalculator.WeightedMean([], "objectives");
        Assert.Equal(0m, progress.Shown);
        Assert.Contains("No objectives yet", progress.Formula, StringComparison.Ordinal);
    }

    // ---- currency, percent, units ----

    [Theory]
    [InlineData("EUR", "EUR")]
    [InlineData("eur", "EUR")]
    [InlineData(" usd ", "USD")]
    [InlineData("Gbp", "GBP")]
    public void Currency_code_is_normalised_to_upper_case(string input, string expected)
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("ARR", MetricType.Currency, MetricDirection.Increase, 0m, 1000m, CurrencyCode: input));
        Assert.Equal(expected, keyResult.CurrencyCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("€€€")]
    [InlineData("E R")]
    public void Currency_requires_a_three_letter_iso_code(string? code)
    {
        var ex = Assert.Throws<DomainException>(() =>
            OkrBuilder.KeyResult(new KeyResultDefinition("ARR", MetricType.Currency, MetricDirection.Increase, 0m, 1000m, CurrencyCode: code)));
        Assert.Equal("CurrencyCode", ex.Field);
    }

    [Fact]
    public void Non_currency_metric_drops_any_currency_code()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("Users", MetricType.Number, MetricDirection.Increase, 0m, 10m, CurrencyCode: "EUR"));
        Assert.Null(keyResult.CurrencyCode);
    }

    [Fact]
    public void Percent_metric_sets_unit_percent()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("NPS share", MetricType.Percent, MetricDirection.Increase, 10m, 30m, Unit: "points"));
        Assert.Equal("%", keyResult.Unit);
    }

    [Fact]
    public void Number_metric_keeps_its_trimmed_unit()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("Users", MetricType.Number, MetricDirection.Increase, 0m, 10m, Unit: " users "));
        Assert.Equal("users", keyResult.Unit);
    }

    [Fact]
    public void Unit_over_the_limit_is_rejected()
    {
        Assert.Throws<DomainException>(() => OkrBuilder.KeyResult(
            new KeyResultDefinition("Users", MetricType.Number, MetricDirection.Increase, 0m, 10m, Unit: new string('u', Limits.Unit + 1))));
    }

    // ---- definition validation ----

    public static TheoryData<KeyResultDefinition, string> InvalidDefinitions() => new()
    {
        { new("KR", MetricType.Number, MetricDirection.Increase, 50m, 50m), "Target" }, // baseline == target
        { new("KR", MetricType.Number, MetricDirection.Decrease, 50m, 50m), "Target" }, // baseline == target
        { new("KR", MetricType.Percent, MetricDirection.Increase, 50m, 40m), "Target" }, // increase, target below baseline
        { new("KR", MetricType.Number, MetricDirection.Decrease, 40m, 50m), "Target" }, // decrease, target above baseline
        { new("KR", MetricType.Currency, MetricDirection.Decrease, 40m, 50m, CurrencyCode: "EUR"), "Target" },
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 15m, 15m, null, 20m), "BandLow" }, // missing low
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 15m, 15m, 10m, null), "BandHigh" }, // missing high
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 15m, 15m, null, null), "BandLow" },
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 15m, 15m, 20m, 10m), "BandHigh" }, // low > high
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 10m, Weight: 0m), "Weight" },
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 10m, Weight: -1m), "Weight" },
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 10m, Weight: 100.01m), "Weight" },
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 10m, CadenceDays: 0), "CadenceDays" },
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 10m, CadenceDays: 366), "CadenceDays" },
        { new("KR", MetricType.Number, MetricDirection.Increase, 0m, 1_000_000_000_001m), "Target" }, // > 1e12
        { new("KR", MetricType.Number, MetricDirection.Decrease, -1_000_000_000_001m, -2_000_000_000_000m), "Baseline" },
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 0m, 0m, -2_000_000_000_000m, 0m), "BandLow" },
        { new("KR", MetricType.Number, MetricDirection.StayWithin, 0m, 0m, 0m, 2_000_000_000_000m), "BandHigh" },
        { new("KR", (MetricType)99, MetricDirection.Increase, 0m, 10m), "MetricType" },
        { new("KR", (MetricType)0, MetricDirection.Increase, 0m, 10m), "MetricType" },
        { new("KR", MetricType.Number, (MetricDirection)99, 0m, 10m), "Direction" },
        { new("KR", MetricType.Boolean, (MetricDirection)0, 0m, 1m), "Direction" },
        { new("", MetricType.Number, MetricDirection.Increase, 0m, 10m), "Title" },
        { new(new string('t', Limits.Title + 1), MetricType.Number, MetricDirection.Increase, 0m, 10m), "Title" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void Invalid_definition_is_rejected(KeyResultDefinition definition, string field)
    {
        var ex = Assert.Throws<DomainException>(() => OkrBuilder.KeyResult(definition));
        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void Invalid_redefinition_is_rejected_and_leaves_the_key_result_unchanged(KeyResultDefinition definition, string field)
    {
        var keyResult = OkrBuilder.KeyResult(OkrBuilder.Increase("Users", 50m, 90m));

        var ex = Assert.Throws<DomainException>(() => keyResult.Redefine(definition));

        Assert.Equal(field, ex.Field);
        Assert.Equal("Users", keyResult.Title);
        Assert.Equal(MetricType.Number, keyResult.MetricType);
        Assert.Equal(MetricDirection.Increase, keyResult.Direction);
        Assert.Equal(50m, keyResult.Baseline);
        Assert.Equal(90m, keyResult.Target);
        Assert.Equal(1m, keyResult.Weight);
        Assert.Equal(KeyResult.DefaultCadenceDays, keyResult.CadenceDays);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("KR", MetricType.Number, MetricDirection.Increase,
            -1_000_000_000_000m, 1_000_000_000_000m, Weight: 100m, CadenceDays: 365));
        Assert.Equal(100m, keyResult.Weight);
        Assert.Equal(365, keyResult.CadenceDays);

        keyResult.Redefine(new KeyResultDefinition("KR", MetricType.Number, MetricDirection.Increase, 0m, 1m, Weight: 0.01m, CadenceDays: 1));
        Assert.Equal(0.01m, keyResult.Weight);
        Assert.Equal(1, keyResult.CadenceDays);

        keyResult.Redefine(new KeyResultDefinition("KR", MetricType.Number, MetricDirection.StayWithin, 0m, 0m, 10m, 10m)); // low == high
        Assert.Equal(10m, keyResult.BandLow);
        Assert.Equal(10m, keyResult.BandHigh);
    }

    [Fact]
    public void Default_weight_is_1_and_default_cadence_14_days()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("KR", MetricType.Number, MetricDirection.Increase, 0m, 1m));
        Assert.Equal(1m, keyResult.Weight);
        Assert.Equal(14, keyResult.CadenceDays);
    }

    [Fact]
    public void Bands_are_only_kept_for_stay_within()
    {
        var keyResult = OkrBuilder.KeyResult(new KeyResultDefinition("KR", MetricType.Number, MetricDirection.StayAbove, 0m, 5m, 1m, 9m));
        Assert.Null(keyResult.BandLow);
        Assert.Null(keyResult.BandHigh);
    }

    [Fact]
    public void Huge_check_in_value_is_rejected()
    {
        var keyResult = OkrBuilder.KeyResult(OkrBuilder.Increase());
        var ex = Assert.Throws<DomainException>(() => keyResult.CheckIn(1_000_000_000_001m));
        Assert.Equal("Value", ex.Field);
        Assert.Empty(keyResult.CheckIns);
        Assert.Null(keyResult.Current);

        keyResult.CheckIn(1_000_000_000_000m);
        Assert.Equal(1_000_000_000_000m, keyResult.Current);
    }
}
