using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.UnitTests.Domain;

public class PeriodTests
{
    [Theory]
    [InlineData(2027, 1, "2027-01-01", "2027-03-31")]
    [InlineData(2027, 2, "2027-04-01", "2027-06-30")]
    [InlineData(2027, 3, "2027-07-01", "2027-09-30")]
    [InlineData(2027, 4, "2027-10-01", "2027-12-31")]
    [InlineData(2028, 1, "2028-01-01", "2028-03-31")] // leap year: February has 29 days but Q1 still ends 03-31
    public void ForQuarter_gives_the_calendar_dates_and_key(int year, int quarter, string start, string end)
    {
        var period = Period.ForQuarter(year, quarter);

        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), period.StartDate);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), period.EndDate);
        Assert.Equal($"{year}-Q{quarter}", period.Key);
        Assert.Equal(year, period.Year);
        Assert.Equal(quarter, period.Quarter);
    }

    [Theory]
    [InlineData(1999, 1, "Year")]
    [InlineData(2101, 1, "Year")]
    [InlineData(2027, 0, "Quarter")]
    [InlineData(2027, 5, "Quarter")]
    public void ForQuarter_rejects_out_of_range(int year, int quarter, string field)
    {
        var ex = Assert.Throws<DomainException>(() => Period.ForQuarter(year, quarter));
        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [InlineData("2027-01-01", "2027-Q1")]
    [InlineData("2027-03-31", "2027-Q1")]
    [InlineData("2027-04-01", "2027-Q2")]
    [InlineData("2027-06-30", "2027-Q2")]
    [InlineData("2027-07-01", "2027-Q3")]
    [InlineData("2027-09-30", "2027-Q3")]
    [InlineData("2027-10-01", "2027-Q4")]
    [InlineData("2027-12-31", "2027-Q4")]
    public void Containing_finds_the_quarter_of_a_date(string date, string key)
    {
        var period = Period.Containing(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(key, period.Key);
    }

    [Theory]
    [InlineData("2027-Q1", 2027, 1)]
    [InlineData("2027-Q4", 2027, 4)]
    [InlineData("2030-Q2", 2030, 2)]
    public void TryParseKey_accepts_valid_keys(string key, int year, int quarter)
    {
        Assert.True(Period.TryParseKey(key, out var y, out var q));
        Assert.Equal(year, y);
        Assert.Equal(quarter, q);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2027-Q0")]
    [InlineData("2027-Q5")]
    [InlineData("2027-q1")]
    [InlineData("2027Q1")]
    [InlineData("2027 Q1")]
    [InlineData("27-Q1")]
    [InlineData("2027-Q12")]
    [InlineData(" 2027-Q1")]
    [InlineData("2027-Q1 ")]
    [InlineData("+027-Q1")]
    [InlineData("-027-Q1")]
    [InlineData("20x7-Q1")]
    [InlineData("2027-QA")]
    [InlineData("2027/Q1")]
    public void TryParseKey_rejects_bad_keys(string? key)
    {
        Assert.False(Period.TryParseKey(key, out _, out _));
    }

    [Theory]
    [InlineData(2027, 1, 2027, 2)]
    [InlineData(2027, 2, 2027, 3)]
    [InlineData(2027, 3, 2027, 4)]
    [InlineData(2027, 4, 2028, 1)]
    public void Next_moves_to_the_following_quarter(int year, int quarter, int nextYear, int nextQuarter)
    {
        Assert.Equal((nextYear, nextQuarter), Period.ForQuarter(year, quarter).Next());
    }

    // 2027-Q1 runs 2027-01-01..2027-03-31: 31 + 28 + 31 = 90 days; days are counted inclusively.
    [Theory]
    [InlineData("2026-12-31", 0, 1)] // before the start → 0
    [InlineData("2026-01-15", 0, 1)]
    [InlineData("2027-01-01", 1, 90)] // first day: 1 ÷ 90
    [InlineData("2027-02-14", 45, 90)] // 31 (Jan) + 14 = 45 ÷ 90 = 50 %
    [InlineData("2027-03-31", 90, 90)] // last day → 1
    [InlineData("2027-04-01", 1, 1)] // after the end → 1
    [InlineData("2030-01-01", 1, 1)]
    public void ElapsedShare_counts_elapsed_days_of_the_quarter(string today, int numerator, int denominator)
    {
        var period = Period.ForQuarter(2027, 1);

        var share = period.ElapsedShare(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((decimal)numerator / denominator, share);
        Assert.InRange(share, 0m, 1m);
    }

    [Fact]
    public void ElapsedShare_is_exactly_half_at_mid_quarter()
    {
        Assert.Equal(0.5m, Period.ForQuarter(2027, 1).ElapsedShare(new DateOnly(2027, 2, 14)));
    }
}
