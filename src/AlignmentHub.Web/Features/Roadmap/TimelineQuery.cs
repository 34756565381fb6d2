using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

public sealed record TimelineQuarter(string Key, DateOnly Start, DateOnly End, bool IsCurrent)
{
    public string Months => string.Create(CultureInfo.InvariantCulture, $"{Start:MMM} – {End:MMM yyyy}");
}

/// <summary>
/// One item on the timeline: it spans <see cref="Span"/> quarter columns from <see cref="FirstColumn"/> (0-based).
/// <see cref="LeftPercent"/> / <see cref="RightPercent"/> inset the bar inside those columns where dates say so;
/// <see cref="HasDates"/>: placed by its dates (the bar shows them), else by its target quarter (the bar shows its status).
/// </summary>
public sealed record TimelineBar(
    int Id,
    string Title,
    RoadmapItemStatus Status,
    RoadmapHorizon Horizon,
    decimal? Effort,
    string When,
    int FirstColumn,
    int Span,
    bool StartsBefore,
    bool EndsAfter,
    decimal LeftPercent,
    decimal RightPercent,
    bool HasDates = false);

public sealed record TimelineTeam(TeamChoice Team, IReadOnlyList<TimelineBar> Items);

public sealed record TimelinePage(
    RoadmapScope Scope,
    IReadOnlyList<TimelineQuarter> Quarters,
    IReadOnlyList<TimelineTeam> Teams,
    int InWindow,
    int Unscheduled,
    int Outside)
{
    /// <summary>At most this many items are drawn; the rest are counted, with a way to narrow down.</summary>
    public const int Cap = 300;

    public int Shown => Teams.Sum(t => t.Items.Count);

    public bool IsCapped => Shown < InWindow;
}

/// <param name="Product">Product id as typed in the address; empty = the first product by name.</param>
/// <param name="Team">Team id, or empty / "all" for every team.</param>
public sealed record GetTimelineQuery(string? Product, string? Team) : IQuery<TimelinePage>;

/// <summary>
/// The quarter timeline: from the previous quarter to four quarters ahead, open items (not archived, dropped or shipped)
/// placed by their dates, else their target quarter. Four queries whatever the data size: products, teams, the counts
/// (one grouped query) and at most <see cref="TimelinePage.Cap"/> items ordered by team.
/// </summary>
public sealed class GetTimelineHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, TimeProvider clock, AlignmentGraphLoader graphs)
    : IQueryHandler<GetTimelineQuery, TimelinePage>
{
    public const int QuartersBefore = 1;
    public const int QuartersAfter = 4;

    public async ValueTask<TimelinePage> Handle(GetTimelineQuery query, CancellationToken cancellationToken)
    {
        var scope = await RoadmapScopes.ResolveAsync(db, access, user, graphs, query.Product, query.Team, defaultToMyTeam: false, cancellationToken);
        var quarters = Window(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (scope.Product is not { } product)
        {
            return new TimelinePage(scope, quarters, [], 0, 0, 0);
        }

        var productId = product.Id;
        var keys = quarters.Select(q => q.Key).ToList();
        var windowStart = quarters[0].Start;
        var windowEnd = quarters[^1].End;
        var open = db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId && i.ArchivedAt == null
            && i.Status != RoadmapItemStatus.Dropped && i.Status != RoadmapItemStatus.Shipped);
        if (scope.Team is { } team)
        {
            open = open.Where(i => i.TeamId == team.Id);
        }

        // Dates win over the target quarter when an item has both (the same rule as the placement below).
        var inWindow = open.Where(i => (i.StartDate != null && i.EndDate != null && i.StartDate <= windowEnd && i.EndDate >= windowStart)
            || (i.StartDate == null && i.TargetPeriodKey != null && keys.Contains(i.TargetPeriodKey)));

        var counts = await open.GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Unscheduled = g.Count(i => i.StartDate == null && i.TargetPeriodKey == null),
                InWindow = g.Count(i => (i.StartDate != null && i.EndDate != null && i.StartDate <= windowEnd && i.EndDate >= windowStart)
                    || (i.StartDate == null && i.TargetPeriodKey != null && keys.Contains(i.TargetPeriodKey))),
            })
            .SingleOrDefaultAsync(cancellationToken);

        var rows = await inWindow
            .Join(db.Teams, i => i.TeamId, t => t.Id, (i, t) => new { Item = i, TeamName = t.Name })
            .OrderBy(x => x.TeamName).ThenBy(x => x.Item.TeamId).ThenBy(x => x.Item.Horizon).ThenBy(x => x.Item.BoardPosition).ThenBy(x => x.Item.Id)
            .Take(TimelinePage.Cap)
            .Select(x => new
            {
                x.Item.Id, x.Item.Title, x.Item.TeamId, x.Item.Status, x.Item.Horizon, x.Item.Effort,
                x.Item.TargetPeriodKey, x.Item.StartDate, x.Item.EndDate,
            })
            .ToListAsync(cancellationToken);

        var teams = rows.GroupBy(r => r.TeamId)
            .Select(g => new TimelineTeam(
                scope.Teams.FirstOrDefault(t => t.Id == g.Key) ?? new TeamChoice(g.Key, "—"),
                g.Select(r => Place(r.Id, r.Title, r.Status, r.Horizon, r.Effort, r.TargetPeriodKey, r.StartDate, r.EndDate, quarters))
                    .OfType<TimelineBar>()
                    .OrderBy(b => b.FirstColumn).ThenBy(b => b.Span).ThenBy(b => b.Horizon).ThenBy(b => b.Title, StringComparer.CurrentCultureIgnoreCase)
                    .ToList()))
            .OrderBy(t => t.Team.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var inWindowCount = counts?.InWindow ?? 0;
        var unscheduled = counts?.Unscheduled ?? 0;
        return new TimelinePage(scope, quarters, teams, inWindowCount, unscheduled, (counts?.Total ?? 0) - inWindowCount - unscheduled);
    }

    /// <summary>The previous quarter, the current one and four ahead.</summary>
    public static IReadOnlyList<TimelineQuarter> Window(DateOnly today)
    {
        var current = Period.Containing(today);
        var start = current.StartDate.AddMonths(-3 * QuartersBefore);
        var result = new List<TimelineQuarter>();
        for (var k = 0; k <= QuartersBefore + QuartersAfter; k++)
        {
            var period = Period.Containing(start.AddMonths(3 * k));
            result.Add(new TimelineQuarter(period.Key, period.StartDate, period.EndDate, period.Key == current.Key));
        }

        return result;
    }

    /// <summary>Where an item sits in the window: its dates' quarters (the bar inset to the days), else its target quarter.</summary>
    public static TimelineBar? Place(int id, string title, RoadmapItemStatus status, RoadmapHorizon horizon, decimal? effort,
        string? periodKey, DateOnly? start, DateOnly? end, IReadOnlyList<TimelineQuarter> quarters)
    {
        var when = RoadmapText.Target(periodKey, start, end);
        if (start is { } s && end is { } e)
        {
            var first = IndexOf(quarters, s);
            var last = IndexOf(quarters, e);
            var startsBefore = s < quarters[0].Start;
            var endsAfter = e > quarters[^1].End;
            if (e < quarters[0].Start || s > quarters[^1].End)
            {
                return null;
            }

            first = startsBefore ? 0 : first;
            last = endsAfter ? quarters.Count - 1 : last;
            var span = last - first + 1;
            var left = startsBefore ? 0m : Share(quarters[first], s.DayNumber - quarters[first].Start.DayNumber) / span;
            var right = endsAfter ? 0m : Share(quarters[last], quarters[last].End.DayNumber - e.DayNumber) / span;
            right = Math.Max(0m, Math.Min(right, 95m - left)); // a short range still shows as a visible sliver
            return new TimelineBar(id, title, status, horizon, effort, when, first, span, startsBefore, endsAfter, left, right, HasDates: true);
        }

        var column = quarters.ToList().FindIndex(q => q.Key == periodKey);
        return column < 0 ? null : new TimelineBar(id, title, status, horizon, effort, when, column, 1, false, false, 0m, 0m);
    }

    private static int IndexOf(IReadOnlyList<TimelineQuarter> quarters, DateOnly day)
    {
        for (var k = 0; k < quarters.Count; k++)
        {
            if (day >= quarters[k].Start && day <= quarters[k].End)
            {
                return k;
            }
        }

        return day < quarters[0].Start ? 0 : quarters.Count - 1;
    }

    /// <summary>Days as a percentage of the quarter, rounded to whole percents, at most 90 %.</summary>
    private static decimal Share(TimelineQuarter quarter, int days)
    {
        var length = quarter.End.DayNumber - quarter.Start.DayNumber + 1;
        return Math.Min(90m, Math.Round(100m * days / length, 0, MidpointRounding.AwayFromZero));
    }
}
