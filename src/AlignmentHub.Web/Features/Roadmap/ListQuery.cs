using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

public enum ListSort
{
    /// <summary>Horizon, then the order on the board.</summary>
    Board,
    Rice,
    Effort,
    Target,
    Title,
}

/// <summary>The list's filters once read and checked; <see cref="Status"/> is "open", "notdropped", a status name or null.</summary>
public sealed record ListFilters(
    int? TeamId,
    int? GoalId,
    string? Status,
    RoadmapHorizon? Horizon,
    bool OrphansOnly,
    bool UnscheduledOnly,
    bool IncludeArchived,
    ListSort Sort,
    bool Descending,
    int Page)
{
    public const string Open = "open";
    public const string NotDropped = "notdropped";

    public static readonly ListFilters Default = new(null, null, null, null, false, false, false, ListSort.Board, false, 1);

    /// <summary>Any filter beyond product, sort and page?</summary>
    public bool IsFiltered => TeamId is not null || GoalId is not null || Status is not null || Horizon is not null || OrphansOnly || UnscheduledOnly || IncludeArchived;
}

/// <summary>One row of the list: the item with its why (number of links, or orphan).</summary>
public sealed record ListRow(
    int Id,
    string Title,
    string TeamName,
    RoadmapItemStatus Status,
    RoadmapHorizon Horizon,
    string Target,
    decimal? Effort,
    decimal? Rice,
    int Links,
    bool IsOrphan,
    bool IsArchived);

public sealed record ListPage(
    RoadmapScope Scope,
    ListFilters Filters,
    IReadOnlyList<GoalNode> Goals,
    IReadOnlyList<ListRow> Rows,
    int Total,
    int PageCount,
    IReadOnlyList<string> Notices,
    bool CanCreate)
{
    public const int PageSize = 50;

    public int FirstShown => Total == 0 ? 0 : ((Filters.Page - 1) * PageSize) + 1;

    public int LastShown => FirstShown == 0 ? 0 : FirstShown + Rows.Count - 1;
}

/// <summary>The list's filters exactly as they came in the address (never a binding error: everything is text).</summary>
public sealed record GetRoadmapListQuery(
    string? Product,
    string? Team,
    string? Goal,
    string? Status,
    string? Horizon,
    string? Orphans,
    string? Unscheduled,
    string? Archived,
    string? Sort,
    string? Dir,
    string? Page) : IQuery<ListPage>;

/// <summary>
/// Filters, sorts and pages the product's snapshot in memory: products, the change counter and the user's teams or
/// products, whatever the number of items. Each sort order is computed once per snapshot and shared.
/// </summary>
public sealed class GetRoadmapListHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, AlignmentGraphLoader graphs)
    : IQueryHandler<GetRoadmapListQuery, ListPage>
{
    public async ValueTask<ListPage> Handle(GetRoadmapListQuery query, CancellationToken cancellationToken)
    {
        var scope = await RoadmapScopes.ResolveAsync(db, access, user, graphs, query.Product, query.Team, defaultToMyTeam: false, cancellationToken);
        var notices = new List<string>(scope.Notices);
        if (scope.Product is null || scope.Snapshot is not { } snapshot)
        {
            return new ListPage(scope, ListFilters.Default, [], [], 0, 0, notices, access.MayEditSomeItems);
        }

        var graph = snapshot.Graph;
        var goals = snapshot.Memo("active-goals", s => s.Graph.Goals.Where(g => g.IsActive)
            .OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Title, StringComparer.CurrentCultureIgnoreCase).ToList());
        var filters = ReadFilters(query, scope, goals, notices);

        bool Matches(ItemRow i) =>
            (filters.TeamId is not { } team || i.TeamId == team)
            && (filters.IncludeArchived || i.ArchivedAt is null)
            && filters.Status switch
            {
                null => true,
                ListFilters.Open => i.Status is not (RoadmapItemStatus.Shipped or RoadmapItemStatus.Dropped),
                ListFilters.NotDropped => i.Status != RoadmapItemStatus.Dropped,
                var name => i.Status == Enum.Parse<RoadmapItemStatus>(name),
            }
            && (filters.Horizon is not { } horizon || i.Horizon == horizon)
            && (!filters.UnscheduledOnly || (i.TargetPeriodKey is null && i.StartDate is null))
            && (!filters.OrphansOnly || (graph.Item(i.Id) is { Counts: true } && !graph.IsAligned(i.Id)))
            && (filters.GoalId is not { } goal || graph.GoalsReachedBy(i.Id).Contains(goal));

        var matching = snapshot.Memo($"list:{filters.Sort}:{filters.Descending}", s => Sorted(s.Items, filters.Sort, filters.Descending))
            .Where(Matches)
            .ToList();
        var total = matching.Count;
        var pageCount = Math.Max(1, (total + ListPage.PageSize - 1) / ListPage.PageSize);
        if (filters.Page > pageCount)
        {
            notices.Add(total == 0
                ? "There is nothing to page through with these filters: showing the first page."
                : $"There are only {RoadmapText.Count(pageCount, "page", "pages")}: showing the last one.");
            filters = filters with { Page = total == 0 ? 1 : pageCount };
        }

        var rows = matching
            .Skip((filters.Page - 1) * ListPage.PageSize)
            .Take(ListPage.PageSize)
            .Select(r => new ListRow(
                r.Id, r.Title, scope.TeamName(r.TeamId), r.Status, r.Horizon, RoadmapText.Target(r.TargetPeriodKey, r.StartDate, r.EndDate), r.Effort,
                r.RiceScore,
                graph.LinksOf(r.Id).Count(),
                graph.Item(r.Id) is { Counts: true } && !graph.IsAligned(r.Id),
                r.ArchivedAt is not null))
            .ToList();
        return new ListPage(scope, filters, goals, rows, total, pageCount, notices, access.MayEditSomeItems);
    }

    /// <summary>The order of the list; unknown values always last, ties broken by id so pages never overlap.</summary>
    private static List<ItemRow> Sorted(IEnumerable<ItemRow> items, ListSort sort, bool desc)
    {
        IOrderedEnumerable<ItemRow> ordered;
        switch (sort)
        {
            case ListSort.Rice:
                var byRice = items.OrderBy(i => i.RiceScore is null);
                ordered = desc ? byRice.ThenByDescending(i => i.RiceScore) : byRice.ThenBy(i => i.RiceScore);
                break;
            case ListSort.Effort:
                var byEffort = items.OrderBy(i => i.Effort is null);
                ordered = desc ? byEffort.ThenByDescending(i => i.Effort) : byEffort.ThenBy(i => i.Effort);
                break;
            case ListSort.Target:
                // Start date when there is one, else the target quarter; within a quarter, items with only the
                // quarter first, then by start date.
                var byTarget = items.OrderBy(i => i.StartDate is null && i.TargetPeriodKey is null);
                ordered = desc
                    ? byTarget.ThenByDescending(QuarterOf, StringComparer.Ordinal).ThenBy(i => i.StartDate is not null).ThenByDescending(i => i.StartDate)
                    : byTarget.ThenBy(QuarterOf, StringComparer.Ordinal).ThenBy(i => i.StartDate is not null).ThenBy(i => i.StartDate);
                break;
            case ListSort.Title:
                ordered = desc ? items.OrderByDescending(i => i.Title, StringComparer.CurrentCultureIgnoreCase) : items.OrderBy(i => i.Title, StringComparer.CurrentCultureIgnoreCase);
                break;
            default:
                return (desc
                    ? items.OrderByDescending(i => i.Horizon).ThenByDescending(i => i.BoardPosition).ThenByDescending(i => i.Id)
                    : items.OrderBy(i => i.Horizon).ThenBy(i => i.BoardPosition).ThenBy(i => i.Id)).ToList();
        }

        return ordered.ThenBy(i => i.Id).ToList();
    }

    private static string? QuarterOf(ItemRow i) => i.StartDate is { } d
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Year}-Q{((d.Month - 1) / 3) + 1}")
        : i.TargetPeriodKey;

    private static ListFilters ReadFilters(GetRoadmapListQuery query, RoadmapScope scope, List<GoalNode> goals, List<string> notices)
    {
        var filters = ListFilters.Default with { TeamId = scope.Team?.Id };

        if (!string.IsNullOrWhiteSpace(query.Goal))
        {
            var goal = RoadmapScopes.TryParseId(query.Goal, out var goalId) ? goals.FirstOrDefault(g => g.Id == goalId) : null;
            if (goal is null)
            {
                notices.Add($"There is no active goal “{RoadmapText.Quote(query.Goal)}” in {scope.Product?.Name}. Showing items for every goal.");
            }
            else
            {
                filters = filters with { GoalId = goal.Id };
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            var text = query.Status.Trim();
            if (string.Equals(text, ListFilters.Open, StringComparison.OrdinalIgnoreCase) || string.Equals(text, ListFilters.NotDropped, StringComparison.OrdinalIgnoreCase))
            {
                filters = filters with { Status = text.ToLowerInvariant() };
            }
            else if (TryParseName<RoadmapItemStatus>(text, out var status))
            {
                filters = filters with { Status = status.ToString() };
            }
            else
            {
                notices.Add($"“{RoadmapText.Quote(query.Status)}” is not a status. Showing every status.");
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Horizon))
        {
            if (TryParseName<RoadmapHorizon>(query.Horizon.Trim(), out var horizon))
            {
                filters = filters with { Horizon = horizon };
            }
            else
            {
                notices.Add($"“{RoadmapText.Quote(query.Horizon)}” is not a horizon: choose Now, Next or Later. Showing every horizon.");
            }
        }

        filters = filters with
        {
            OrphansOnly = IsOn(query.Orphans),
            UnscheduledOnly = IsOn(query.Unscheduled),
            IncludeArchived = IsOn(query.Archived),
        };

        if (!string.IsNullOrWhiteSpace(query.Sort))
        {
            if (TryParseName<ListSort>(query.Sort.Trim(), out var sort))
            {
                filters = filters with { Sort = sort };
            }
            else
            {
                notices.Add($"The list cannot be sorted by “{RoadmapText.Quote(query.Sort)}”. Showing it in board order.");
            }
        }

        filters = filters with
        {
            // Scores and sizes are most useful biggest first; titles, dates and the board read top to bottom.
            Descending = query.Dir?.Trim().ToLowerInvariant() switch
            {
                "desc" => true,
                "asc" => false,
                _ => string.IsNullOrWhiteSpace(query.Dir) && filters.Sort is ListSort.Rice or ListSort.Effort,
            },
        };

        if (!string.IsNullOrWhiteSpace(query.Page))
        {
            var text = query.Page.Trim();
            var digits = text.TrimStart('+', '-');
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var page))
            {
                if (page < 1)
                {
                    notices.Add($"There is no page {RoadmapText.Quote(text)}: pages start at 1. Showing the first page.");
                }
                else
                {
                    filters = filters with { Page = page };
                }
            }
            else if (digits.Length > 0 && digits.All(char.IsAsciiDigit) && !text.StartsWith('-'))
            {
                // Too large for a number of pages: the last page (clamped, with its notice, once the count is known).
                filters = filters with { Page = int.MaxValue };
            }
            else
            {
                notices.Add($"“{RoadmapText.Quote(text)}” is not a page number. Showing the first page.");
            }
        }

        return filters;
    }

    /// <summary>An enum value by its name (any case), never by number: "7" is not a horizon.</summary>
    private static bool TryParseName<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && !char.IsAsciiDigit(text[0]) && text[0] != '-' && text[0] != '+' && Enum.IsDefined(value);

    private static bool IsOn(string? value) => value?.Trim().ToLowerInvariant() is "true" or "on" or "1" or "yes";
}
