using AlignmentHub.Domain.Roadmap;
using Microsoft.AspNetCore.Http;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>The addresses of the roadmap views with their filters, built in one place so every link keeps them.</summary>
public static class RoadmapUrls
{
    public const string BoardPath = "/roadmap";
    public const string TimelinePath = "/roadmap/timeline";
    public const string ListPath = "/roadmap/list";

    public static string Item(int id) => "/roadmap/items/" + RoadmapText.Invariant(id);

    public static string NewItem(int? productId) => "/roadmap/items/new" + (productId is { } p ? "?product=" + RoadmapText.Invariant(p) : string.Empty);

    public static string Move(int id) => Item(id) + "/move";

    /// <summary>The board's filters as a query string without "?" (what a move form posts back as its return address).</summary>
    public static string BoardQuery(int? productId, int? teamId, bool shipped)
    {
        var query = QueryString.Empty;
        if (productId is { } p)
        {
            query = query.Add("product", RoadmapText.Invariant(p));
        }

        // "all" is explicit: without a team, a team member's board opens on their own team.
        query = query.Add("team", teamId is { } t ? RoadmapText.Invariant(t) : RoadmapScopes.AllTeams);
        if (shipped)
        {
            query = query.Add("shipped", "true");
        }

        return query.ToUriComponent().TrimStart('?');
    }

    public static string Board(int? productId, int? teamId, bool shipped) => BoardPath + "?" + BoardQuery(productId, teamId, shipped);

    public static string Timeline(int? productId, int? teamId)
    {
        var query = QueryString.Empty;
        if (productId is { } p)
        {
            query = query.Add("product", RoadmapText.Invariant(p));
        }

        if (teamId is { } t)
        {
            query = query.Add("team", RoadmapText.Invariant(t));
        }

        return TimelinePath + query.ToUriComponent();
    }

    public static string List(int? productId, ListFilters filters)
    {
        var query = QueryString.Empty;
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query = query.Add(name, value);
            }
        }

        Add("product", productId is { } p ? RoadmapText.Invariant(p) : null);
        Add("team", filters.TeamId is { } t ? RoadmapText.Invariant(t) : null);
        Add("goal", filters.GoalId is { } g ? RoadmapText.Invariant(g) : null);
        Add("status", filters.Status);
        Add("horizon", filters.Horizon?.ToString());
        Add("orphans", filters.OrphansOnly ? "true" : null);
        Add("unscheduled", filters.UnscheduledOnly ? "true" : null);
        Add("archived", filters.IncludeArchived ? "true" : null);
        Add("sort", filters.Sort == ListSort.Board && !filters.Descending ? null : filters.Sort.ToString().ToLowerInvariant());
        // Only when it differs from the sort's own default (scores and sizes biggest first, the rest ascending).
        var defaultDescending = filters.Sort is ListSort.Rice or ListSort.Effort;
        Add("dir", filters.Descending == defaultDescending ? null : filters.Descending ? "desc" : "asc");
        Add("page", filters.Page > 1 ? RoadmapText.Invariant(filters.Page) : null);
        return ListPath + query.ToUriComponent();
    }

    /// <summary>The list of one board column, in board order, continuing where the board stops when it can.</summary>
    public static string ListOfColumn(int? productId, int? teamId, RoadmapHorizon horizon, bool shipped, int page) =>
        List(productId, ListFilters.Default with
        {
            TeamId = teamId,
            Horizon = horizon,
            Status = shipped ? ListFilters.NotDropped : ListFilters.Open,
            Page = page,
        });
}

/// <summary>What the view switcher (Board · Timeline · List) needs to keep the product and team.</summary>
public sealed record RoadmapViewNav(string Active, int? ProductId, int? TeamId);
