using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.UnitTests.Domain;

public class CheckInTests
{
    [Fact]
    public void Check_in_records_value_confidence_note_author_and_time()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        var at = TestTime.T0.AddDays(3);

        var checkIn = kr.RecordCheckIn(70m, 8, "  good week ", "u9", "Grace", at);

        Assert.Equal(70m, checkIn.Value);
        Assert.Equal(8, checkIn.Confidence);
        Assert.Equal("good week", checkIn.Note);
        Assert.Equal("u9", checkIn.AuthorId);
        Assert.Equal("Grace", checkIn.AuthorName);
        Assert.Equal(at, checkIn.CreatedAt);
        Assert.Equal(ConfidenceLevel.OnTrack, checkIn.Level);
        Assert.Equal(70m, kr.Current);
        Assert.Equal(at, kr.LastCheckInAt);
        Assert.Single(kr.CheckIns);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(100)]
    public void Confidence_outside_0_to_10_is_rejected(int confidence)
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());

        var ex = Assert.Throws<DomainException>(() => kr.RecordCheckIn(60m, confidence, null, "u1", "Ada", TestTime.T0));

        Assert.Equal("Confidence", ex.Field);
        Assert.Empty(kr.CheckIns);
        Assert.Null(kr.Current);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Confidence_bounds_are_accepted(int confidence)
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        Assert.Equal(confidence, kr.RecordCheckIn(60m, confidence, null, "u1", "Ada", TestTime.T0).Confidence);
    }

    [Theory]
    [InlineData(MetricType.Boolean, 2.0)]
    [InlineData(MetricType.Boolean, 0.5)]
    [InlineData(MetricType.Boolean, -1.0)]
    [InlineData(MetricType.Milestone, 2.0)]
    [InlineData(MetricType.Milestone, 0.99)]
    public void Boolean_and_milestone_accept_only_0_or_1(MetricType type, double value)
    {
        var kr = OkrBuilder.KeyResult(new KeyResultDefinition("Launched", type, MetricDirection.Increase, 0m, 1m));

        var ex = Assert.Throws<DomainException>(() => kr.CheckIn((decimal)value));

        Assert.Equal("Value", ex.Field);
        Assert.Empty(kr.CheckIns);
    }

    [Theory]
    [InlineData(null, "Ada")]
    [InlineData("", "Ada")]
    [InlineData(" ", "Ada")]
    [InlineData("u1", "")]
    public void Author_is_required(string? authorId, string authorName)
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        Assert.Throws<DomainException>(() => kr.RecordCheckIn(60m, 5, null, authorId!, authorName, TestTime.T0));
        Assert.Empty(kr.CheckIns);
    }

    [Fact]
    public void Current_follows_the_latest_check_in_by_time_even_when_recorded_out_of_order()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        var monday = TestTime.T0.AddDays(7);
        var earlier = TestTime.T0.AddDays(3);

        kr.CheckIn(80m, monday);
        kr.CheckIn(60m, earlier); // back-dated: history only

        Assert.Equal(80m, kr.Current);
        Assert.Equal(monday, kr.LastCheckInAt);
        Assert.Equal(2, kr.CheckIns.Count); // both kept
        Assert.Equal(75m, kr.Progress().Shown); // (80 − 50) ÷ (90 − 50) = 75 %

        var later = monday.AddDays(1);
        kr.CheckIn(55m, later);
        Assert.Equal(55m, kr.Current);
        Assert.Equal(later, kr.LastCheckInAt);
    }

    [Fact]
    public void A_check_in_at_the_same_instant_replaces_current()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        var at = TestTime.T0.AddDays(2);
        kr.CheckIn(60m, at);
        kr.CheckIn(65m, at);
        Assert.Equal(65m, kr.Current);
    }

    [Theory]
    [InlineData(10, ConfidenceLevel.OnTrack)]
    [InlineData(7, ConfidenceLevel.OnTrack)]
    [InlineData(6, ConfidenceLevel.AtRisk)]
    [InlineData(5, ConfidenceLevel.AtRisk)]
    [InlineData(4, ConfidenceLevel.AtRisk)]
    [InlineData(3, ConfidenceLevel.OffTrack)]
    [InlineData(1, ConfidenceLevel.OffTrack)]
    [InlineData(0, ConfidenceLevel.OffTrack)]
    public void Confidence_level_thresholds(int confidence, ConfidenceLevel expected)
    {
        Assert.Equal(expected, CheckIn.LevelOf(confidence));
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        Assert.Equal(expected, kr.RecordCheckIn(60m, confidence, null, "u1", "Ada", TestTime.T0).Level);
    }

    // Created at T0 = 2027-01-01 09:00Z with the default cadence of 14 days.
    [Fact]
    public void Without_check_in_staleness_counts_from_creation()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        Assert.Equal(14, kr.CadenceDays);

        Assert.False(kr.IsStale(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero))); // 9 days
        Assert.False(kr.IsStale(new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.Zero))); // exactly 14 days: not longer
        Assert.True(kr.IsStale(new DateTimeOffset(2027, 1, 15, 9, 0, 1, TimeSpan.Zero))); // 14 days + 1 s
        Assert.True(kr.IsStale(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void With_check_ins_staleness_counts_from_the_last_check_in()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        kr.CheckIn(60m, new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.Zero));

        // 2027-01-30 is 29 days after creation but only 10 after the check-in.
        Assert.False(kr.IsStale(new DateTimeOffset(2027, 1, 30, 12, 0, 0, TimeSpan.Zero)));
        Assert.False(kr.IsStale(new DateTimeOffset(2027, 2, 3, 12, 0, 0, TimeSpan.Zero))); // exactly 14 days
        Assert.True(kr.IsStale(new DateTimeOffset(2027, 2, 3, 12, 1, 0, TimeSpan.Zero))); // 14 days + 1 min
    }

    [Fact]
    public void A_back_dated_check_in_does_not_reset_staleness_clock_forward_or_backward()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase());
        kr.CheckIn(60m, new DateTimeOffset(2027, 1, 20, 0, 0, 0, TimeSpan.Zero));
        kr.CheckIn(55m, new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero));

        // Counted from 01-20: 01-30 is 10 days → fresh (from 01-05 it would be 25 days → stale).
        Assert.False(kr.IsStale(new DateTimeOffset(2027, 1, 30, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Staleness_uses_the_configured_cadence()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase() with { CadenceDays = 7 });
        Assert.False(kr.IsStale(TestTime.T0.AddDays(7)));
        Assert.True(kr.IsStale(TestTime.T0.AddDays(7).AddMinutes(1)));
        Assert.True(kr.IsStale(TestTime.T0.AddDays(10))); // would be fresh with the default 14
    }

    // 2027-Q1 has 90 days; on 2027-02-14 the elapsed share is 45 ÷ 90 = 50 %.
    [Theory]
    [InlineData(54.0, true)] // progress (54 − 50) ÷ 40 = 10 %: lag 50 − 10 = 40 > 25 → behind
    [InlineData(66.0, false)] // progress (66 − 50) ÷ 40 = 40 %: lag 50 − 40 = 10 → not behind
    [InlineData(60.0, false)] // progress 25 %: lag exactly 25, not more → not behind
    [InlineData(59.6, true)] // progress (59.6 − 50) ÷ 40 = 24 %: lag 26 → behind
    [InlineData(130.0, false)] // over-achieved
    public void IsBehind_when_progress_lags_elapsed_share_by_more_than_25_points(double current, bool behind)
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase(baseline: 50m, target: 90m));
        kr.CheckIn((decimal)current);

        Assert.Equal(behind, kr.IsBehind(Period.ForQuarter(2027, 1), new DateOnly(2027, 2, 14)));
    }

    [Fact]
    public void IsBehind_depends_on_how_much_of_the_period_has_elapsed()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Increase(baseline: 0m, target: 100m)); // no check-in → 0 %
        var q1 = Period.ForQuarter(2027, 1);

        Assert.False(kr.IsBehind(q1, new DateOnly(2026, 12, 1))); // before start: 0 − 0 = 0
        Assert.False(kr.IsBehind(q1, new DateOnly(2027, 1, 20))); // 20 ÷ 90 = 22.2 % − 0 → not more than 25
        Assert.True(kr.IsBehind(q1, new DateOnly(2027, 1, 24))); // 24 ÷ 90 = 26.7 % − 0 → behind
        Assert.True(kr.IsBehind(q1, new DateOnly(2027, 6, 1))); // after end: 100 − 0
    }

    [Fact]
    public void IsBehind_uses_rolled_up_progress_of_a_decreasing_key_result()
    {
        var kr = OkrBuilder.KeyResult(OkrBuilder.Decrease(baseline: 40m, target: 20m));
        kr.CheckIn(38m); // (38 − 40) ÷ (20 − 40) = 10 %
        Assert.True(kr.IsBehind(Period.ForQuarter(2027, 1), new DateOnly(2027, 2, 14))); // 50 − 10 = 40 > 25

        kr.CheckIn(32m, TestTime.T0.AddDays(2)); // (32 − 40) ÷ (−20) = 40 %
        Assert.False(kr.IsBehind(Period.ForQuarter(2027, 1), new DateOnly(2027, 2, 14))); // 50 − 40 = 10
    }
}
