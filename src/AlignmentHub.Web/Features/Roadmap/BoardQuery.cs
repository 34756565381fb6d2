using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>
/// One card. <see cref="BlockerPlannedLater"/>: one of its open blockers is planned to start after it (a schedule
/// conflict, shown in red; an ordinary blocker is normal sequencing). <see cref="UpBeforeId"/> and <see cref="DownBeforeId"/> are what the "Move up" / "Move down" buttons post
/// as the card to land before (null = the end of the column).
/// </summary>
public sealed record BoardCard(
    int Id,
    string Title,
    string TeamName,
    RoadmapItemStatus Status,
    RoadmapHorizon Horizon,
    decimal? Effort,
    decimal? Rice,
    bool IsOrphan,
    string? BlockedBy,
    int BlockerCount,
    bool BlockerPlannedLater,
    long Version,
    bool CanEdit,
    bool CanMoveUp,
    int? UpBeforeId,
    bool CanMoveDown,
    int? DownBeforeId);

/// <summary>A column: its totals over every item it holds, and the first <see cref="BoardPage.MaxCards"/> cards.</summary>
public sealed record BoardColumn(RoadmapHorizon Horizon, int Count, decimal Effort, IReadOnlyList<BoardCard> Cards, string MoreUrl)
{
    public int Hidden => Count - Cards.Count;
}

public sealed record BoardPage(RoadmapScope Scope, bool ShowShipped, IReadOnlyList<BoardColumn> Columns, bool CanCreate)
{
    public const int MaxCards = 50;

    /// <summary>The board's filters as posted back by the move forms.</summary>
    public string ReturnQuery => RoadmapUrls.BoardQuery(Scope.Product?.Id, Scope.Team?.Id, ShowShipped);

    public bool IsEmpty => Columns.All(c => c.Count == 0);
}

/// <param name="Product">Product id as typed in the address; empty = the first product by name.</param>
/// <param name="Team">Team id, "all", or empty (a team member's own team, else all).</param>
/// <param name="Shipped">"true" shows shipped items too.</param>
public sealed record GetBoardQuery(string? Product, string? Team, string? Shipped) : IQuery<BoardPage>;

/// <summary>
/// The Now / Next / Later board from the product's snapshot: products, the change counter, and the user's teams or
/// products for the edit controls, whatever the data size. Each column's order is computed once per snapshot.
/// </summary>
public sealed class GetBoardHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, AlignmentGraphLoader graphs)
    : IQueryHandler<GetBoardQuery, BoardPage>
{
    // Two more than shown: "Move down" on the last card shown lands before the card after the next one.
    private const int Fetched = BoardPage.MaxCards + 2;

    public async ValueTask<BoardPage> Handle(GetBoardQuery query, CancellationToken cancellationToken)
    {
        var scope = await RoadmapScopes.ResolveAsync(db, access, user, graphs, query.Product, query.Team, defaultToMyTeam: true, cancellationToken);
        var shipped = query.Shipped?.Trim().ToLowerInvariant() is "true" or "on" or "1" or "yes";
        if (scope.Product is not { } product || scope.Snapshot is not { } snapshot)
        {
            return new BoardPage(scope, shipped, [], access.MayEditSomeItems);
        }

        var productId = product.Id;
        var graph = snapshot.Graph;
        var onBoard = snapshot.Memo($"board:{shipped}", s => s.Items
            .Where(i => i.ArchivedAt is null && i.Status != RoadmapItemStatus.Dropped && (shipped || i.Status != RoadmapItemStatus.Shipped))
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id)
            .ToLookup(i => i.Horizon));
        var blockers = snapshot.Memo("open-blockers", s => s.Dependencies
            .Where(d => s.ItemsById.TryGetValue(d.BlockerId, out var b) && b.IsOpen)
            .ToLookup(d => d.ItemId, d => (d.BlockerId, s.ItemsById[d.BlockerId].Title)));
        // The alignment page's rule for dependencies in the wrong order, so the board and that page agree.
        var late = snapshot.Memo("schedule-conflicts", s => AlignmentConflicts.Schedule(
                s.Items.Select(i => new ItemSchedule(i.Id, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, i.IsOpen)), s.Dependencies)
            .Select(c => (c.ItemId, c.BlockerId)).ToHashSet());
        var teamId = scope.Team?.Id;

        var columns = new List<BoardColumn>();
        foreach (var horizon in RoadmapText.Horizons)
        {
            var inColumn = onBoard[horizon].Where(i => teamId is null || i.TeamId == teamId);
            var count = 0;
            var effort = 0m;
            var column = new List<ItemRow>(Fetched);
            foreach (var item in inColumn)
            {
                count++;
                effort += item.Effort ?? 0m;
                if (column.Count < Fetched)
                {
                    column.Add(item);
                }
            }

            var cards = new List<BoardCard>();
            foreach (var (r, index) in column.Take(BoardPage.MaxCards).Select((r, index) => (r, index)))
            {
                // A blocker planned later comes first: it is the one worth reading.
                var blockedBy = blockers[r.Id].OrderBy(b => late.Contains((r.Id, b.BlockerId)) ? 0 : 1).ThenBy(b => b.Title, StringComparer.Ordinal).ToList();
                cards.Add(new BoardCard(
                    r.Id, r.Title, scope.TeamName(r.TeamId), r.Status, r.Horizon, r.Effort, r.RiceScore,
                    graph.Item(r.Id) is { Counts: true } && !graph.IsAligned(r.Id),
                    blockedBy.Count > 0 ? blockedBy[0].Title : null, blockedBy.Count, blockedBy.Count > 0 && late.Contains((r.Id, blockedBy[0].BlockerId)), r.Version,
                    await access.CanEditItemAsync(productId, r.TeamId, cancellationToken),
                    index > 0, index > 0 ? column[index - 1].Id : null,
                    index < count - 1, index + 2 < column.Count ? column[index + 2].Id : null));
            }

            columns.Add(new BoardColumn(horizon, count, effort, cards,
                RoadmapUrls.ListOfColumn(productId, scope.Team?.Id, horizon, shipped, count > BoardPage.MaxCards ? 2 : 1)));
        }

        return new BoardPage(scope, shipped, columns, access.MayEditSomeItems);
    }
}
