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
/// Filters, sorts and pages in SQL: products, teams, the alignment graph (its five queries), a count and one page of
/// rows, whatever the number of items. The goal and orphan filters come from the graph as a set of item ids sent as
/// one parameter.
/// </summary>
public sealed class GetRoadmapListHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, AlignmentGraphLoader graphs)
    : IQueryHandler<GetRoadmapListQuery, ListPage>
{
    public async ValueTask<ListPage> Handle(GetRoadmapListQuery query, CancellationToken cancellationToken)
    {
        var scope = await RoadmapScopes.ResolveAsync(db, access, user, query.Product, query.Team, defaultToMyTeam: false, cancellationToken);
        var notices = new List<string>(scope.Notices);
        if (scope.Product is not { } product)
        {
            return new ListPage(scope, ListFilters.Default, [], [], 0, 0, notices, access.MayEditSomeItems);
        }

        var graph = await graphs.LoadAsync(product.Id, cancellationToken);
        var goals = graph.Goals.Where(g => g.IsActive).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
        var filters = ReadFilters(query, scope, goals, notices);

        var items = db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == product.Id);
        if (filters.TeamId is { } teamId)
        {
            items = items.Where(i => i.TeamId == teamId);
        }

        if (!filters.IncludeArchived)
        {
            items = items.Where(i => i.ArchivedAt == null);
        }

        items = filters.Status switch
        {
            null => items,
            ListFilters.Open => items.Where(i => i.Status != RoadmapItemStatus.Shipped && i.Status != RoadmapItemStatus.Dropped),
            ListFilters.NotDropped => items.Where(i => i.Status != RoadmapItemStatus.Dropped),
            var name => WithStatus(items, Enum.Parse<RoadmapItemStatus>(name)),
        };
        if (filters.Horizon is { } horizon)
        {
            items = items.Where(i => i.Horizon == horizon);
        }

        if (filters.UnscheduledOnly)
        {
            items = items.Where(i => i.TargetPeriodKey == null && i.StartDate == null);
        }

        if (filters.OrphansOnly || filters.GoalId is not null)
        {
            var ids = graph.Items
                .Where(i => (!filters.OrphansOnly || (i.Counts && !graph.IsAligned(i.Id)))
                    && (filters.GoalId is not { } g || graph.GoalsReachedBy(i.Id).Contains(g)))
                .Select(i => i.Id)
                .ToList();

            // One array parameter whatever the size (thousands of ids on the large data set).
            items = items.Where(i => EF.Parameter(ids).Contains(i.Id));
        }

        var total = await items.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + ListPage.PageSize - 1) / ListPage.PageSize);
        if (filters.Page > pageCount)
        {
            notices.Add(total == 0
                ? "There is nothing to page through with these filters: showing the first page."
                : $"There are only {RoadmapText.Count(pageCount, "page", "pages")}: showing the last one.");
            filters = filters with { Page = total == 0 ? 1 : pageCount };
        }

        var rows = await Sorted(items, filters)
            .Skip((filters.Page - 1) * ListPage.PageSize)
            .Take(ListPage.PageSize)
            .Select(i => new
            {
                i.Id, i.Title, i.TeamId, i.Status, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, i.Effort,
                i.RiceReach, i.RiceImpact, i.RiceConfidence, Archived = i.ArchivedAt != null,
            })
            .ToListAsync(cancellationToken);

        var result = rows.Select(r => new ListRow(
                r.Id, r.Title, scope.TeamName(r.TeamId), r.Status, r.Horizon, RoadmapText.Target(r.TargetPeriodKey, r.StartDate, r.EndDate), r.Effort,
                RoadmapItem.RiceScoreOf(r.RiceReach, r.RiceImpact, r.RiceConfidence, r.Effort),
                graph.LinksOf(r.Id).Count(),
                graph.Item(r.Id) is { Counts: true } && !graph.IsAligned(r.Id),
                r.Archived))
            .ToList();
        return new ListPage(scope, filters, goals, result, total, pageCount, notices, access.MayEditSomeItems);
    }

    private static IQueryable<RoadmapItem> WithStatus(IQueryable<RoadmapItem> items, RoadmapItemStatus status) => items.Where(i => i.Status == status);

    /// <summary>The order of the list; ties (and unknown values, always last) are broken by id so pages never overlap.</summary>
    private static IOrderedQueryable<RoadmapItem> Sorted(IQueryable<RoadmapItem> items, ListFilters filters)
    {
        var desc = filters.Descending;
        switch (filters.Sort)
        {
            case ListSort.Rice:
                // The RICE formula of RoadmapItem.RiceScoreOf, in SQL so that sorting and paging stay in the database.
                var byRice = items.OrderBy(i => i.RiceReach == null || i.RiceImpact == null || i.RiceConfidence == null || i.Effort == null);
                byRice = desc
                    ? byRice.ThenByDescending(i => (double)i.RiceReach! * (double)i.RiceImpact! * (double)i.RiceConfidence! / (double)i.Effort!)
                    : byRice.ThenBy(i => (double)i.RiceReach! * (double)i.RiceImpact! * (double)i.RiceConfidence! / (double)i.Effort!);
                return byRice.ThenBy(i => i.Id);
            case ListSort.Effort:
                var byEffort = items.OrderBy(i => i.Effort == null);
                return (desc ? byEffort.ThenByDescending(i => i.Effort) : byEffort.ThenBy(i => i.Effort)).ThenBy(i => i.Id);
            case ListSort.Target:
                // Start date when there is one, else the target quarter: "2027-Q1" keys sort as text, and a date's
                // quarter is written the same way so both kinds interleave; within a quarter, by start date.
                var byTarget = items.OrderBy(i => i.StartDate == null && i.TargetPeriodKey == null);
                // Within a quarter, items with only the quarter come first (explicitly: databases disagree on where NULL sorts).
                byTarget = desc
                    ? byTarget.ThenByDescending(i => i.StartDate != null ? i.StartDate.Value.Year.ToString() + "-Q" + ((i.StartDate.Value.Month + 2) / 3).ToString() : i.TargetPeriodKey)
                        .ThenBy(i => i.StartDate != null).ThenByDescending(i => i.StartDate)
                    : byTarget.ThenBy(i => i.StartDate != null ? i.StartDate.Value.Year.ToString() + "-Q" + ((i.StartDate.Value.Month + 2) / 3).ToString() : i.TargetPeriodKey)
                        .ThenBy(i => i.StartDate != null).ThenBy(i => i.StartDate);
                return byTarget.ThenBy(i => i.Id);
            case ListSort.Title:
                // Case-insensitive, in the database's own alphabetical order.
                return (desc ? items.OrderByDescending(i => i.Title.ToLower()) : items.OrderBy(i => i.Title.ToLower())).ThenBy(i => i.Id);
            default:
                return desc
                    ? items.OrderByDescending(i => i.Horizon).ThenByDescending(i => i.BoardPosition).ThenByDescending(i => i.Id)
                    : items.OrderBy(i => i.Horizon).ThenBy(i => i.BoardPosition).ThenBy(i => i.Id);
        }
    }

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
