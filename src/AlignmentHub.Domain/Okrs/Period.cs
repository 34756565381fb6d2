using System.Globalization;
using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Okrs;

/// <summary>A planning period: a calendar quarter such as 2027-Q1.</summary>
public sealed class Period
{
    private Period()
    {
        Key = string.Empty;
    }

    private Period(int year, int quarter)
    {
        Year = year;
        Quarter = quarter;
        Key = string.Create(CultureInfo.InvariantCulture, $"{year}-Q{quarter}");
        StartDate = new DateOnly(year, ((quarter - 1) * 3) + 1, 1);
        EndDate = StartDate.AddMonths(3).AddDays(-1);
    }

    public int Id { get; private set; }

    /// <summary>"2027-Q1".</summary>
    public string Key { get; private set; }

    public int Year { get; private set; }

    public int Quarter { get; private set; }

    public DateOnly StartDate { get; private set; }

    /// <summary>Last day of the period, inclusive.</summary>
    public DateOnly EndDate { get; private set; }

    public static Period ForQuarter(int year, int quarter)
    {
        if (year is < 2000 or > 2100)
        {
            throw new DomainException("Year must be between 2000 and 2100.", nameof(Year));
        }

        if (quarter is < 1 or > 4)
        {
            throw new DomainException("Quarter must be between 1 and 4.", nameof(Quarter));
        }

        return new Period(year, quarter);
    }

    public static Period Containing(DateOnly date) => ForQuarter(date.Year, ((date.Month - 1) / 3) + 1);

    public static bool TryParseKey(string? key, out int year, out int quarter)
    {
        year = 0;
        quarter = 0;
        return key is { Length: 7 } && key[4] == '-' && key[5] == 'Q'
            && int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            && int.TryParse(key.AsSpan(6, 1), NumberStyles.None, CultureInfo.InvariantCulture, out quarter)
            && year is >= 2000 and <= 2100
            && quarter is >= 1 and <= 4;
    }

    public (int Year, int Quarter) Next() => Quarter == 4 ? (Year + 1, 1) : (Year, Quarter + 1);

    /// <summary>Share of the period elapsed on <paramref name="today"/>, 0..1.</summary>
    public decimal ElapsedShare(DateOnly today)
    {
        if (today < StartDate)
        {
            return 0m;
        }

        if (today > EndDate)
        {
            return 1m;
        }

        var total = EndDate.DayNumber - StartDate.DayNumber + 1;
        return (decimal)(today.DayNumber - StartDate.DayNumber + 1) / total;
    }
}
