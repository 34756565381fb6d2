using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>
/// One card. <see cref="UpBeforeId"/> and <see cref="DownBeforeId"/> are what the "Move up" / "Move down" buttons post
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
/// The Now / Next / Later board in a fixed number of queries whatever the data size: products, teams, the user's teams
/// or products (for the edit controls), the column totals (one grouped query), the first cards of the three columns
/// (one UNION query, blockers as sub-queries), plus the alignment graph's own five.
/// </summary>
public sealed class GetBoardHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, AlignmentGraphLoader graphs)
    : IQueryHandler<GetBoardQuery, BoardPage>
{
    // Two more than shown: "Move down" on the last card shown lands before the card after the next one.
    private const int Fetched = BoardPage.MaxCards + 2;

    public async ValueTask<BoardPage> Handle(GetBoardQuery query, CancellationToken cancellationToken)
    {
        var scope = await RoadmapScopes.ResolveAsync(db, access, user, query.Product, query.Team, defaultToMyTeam: true, cancellationToken);
        var shipped = query.Shipped?.Trim().ToLowerInvariant() is "true" or "on" or "1" or "yes";
        if (scope.Product is not { } product)
        {
            return new BoardPage(scope, shipped, [], access.MayEditSomeItems);
        }

        var productId = product.Id;
        var items = db.RoadmapItems.AsNoTracking()
            .Where(i => i.ProductId == productId && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped);
        if (!shipped)
        {
            items = items.Where(i => i.Status != RoadmapItemStatus.Shipped);
        }

        if (scope.Team is { } team)
        {
            items = items.Where(i => i.TeamId == team.Id);
        }

        var totals = await items.GroupBy(i => i.Horizon)
            .Select(g => new { Horizon = g.Key, Count = g.Count(), Effort = g.Sum(i => i.Effort) ?? 0m })
            .ToDictionaryAsync(t => t.Horizon, cancellationToken);

        IQueryable<CardRow> Column(RoadmapHorizon horizon) => items.Where(i => i.Horizon == horizon)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id)
            .Take(Fetched)
            .Select(i => new CardRow
            {
                Id = i.Id,
                Title = i.Title,
                TeamId = i.TeamId,
                Status = i.Status,
                Horizon = i.Horizon,
                BoardPosition = i.BoardPosition,
                Effort = i.Effort,
                RiceReach = i.RiceReach,
                RiceImpact = i.RiceImpact,
                RiceConfidence = i.RiceConfidence,
                Version = i.Version,
                BlockedBy = db.RoadmapItems
                    .Where(b => b.ArchivedAt == null && b.Status != RoadmapItemStatus.Dropped && b.Status != RoadmapItemStatus.Shipped
                        && db.ItemDependencies.Any(d => d.RoadmapItemId == i.Id && d.BlockerId == b.Id))
                    .OrderBy(b => b.Title).Select(b => b.Title).FirstOrDefault(),
                BlockerCount = db.RoadmapItems
                    .Count(b => b.ArchivedAt == null && b.Status != RoadmapItemStatus.Dropped && b.Status != RoadmapItemStatus.Shipped
                        && db.ItemDependencies.Any(d => d.RoadmapItemId == i.Id && d.BlockerId == b.Id)),
            });

        var rows = await Column(RoadmapHorizon.Now).Concat(Column(RoadmapHorizon.Next)).Concat(Column(RoadmapHorizon.Later))
            .ToListAsync(cancellationToken);
        var graph = await graphs.LoadAsync(productId, cancellationToken);

        var editableTeams = new Dictionary<int, bool>();
        foreach (var teamId in rows.Select(r => r.TeamId).Distinct())
        {
            editableTeams[teamId] = await access.CanEditItemAsync(productId, teamId, cancellationToken);
        }

        var columns = new List<BoardColumn>();
        foreach (var horizon in RoadmapText.Horizons)
        {
            var column = rows.Where(r => r.Horizon == horizon).OrderBy(r => r.BoardPosition).ThenBy(r => r.Id).ToList();
            var total = totals.GetValueOrDefault(horizon);
            var count = total?.Count ?? 0;
            var cards = column.Take(BoardPage.MaxCards).Select((r, index) => new BoardCard(
                    r.Id, r.Title, scope.TeamName(r.TeamId), r.Status, r.Horizon, r.Effort,
                    RoadmapItem.RiceScoreOf(r.RiceReach, r.RiceImpact, r.RiceConfidence, r.Effort),
                    graph.Item(r.Id) is { Counts: true } && !graph.IsAligned(r.Id),
                    r.BlockedBy, r.BlockerCount, r.Version, editableTeams[r.TeamId],
                    index > 0, index > 0 ? column[index - 1].Id : null,
                    index < count - 1, index + 2 < column.Count ? column[index + 2].Id : null))
                .ToList();
            columns.Add(new BoardColumn(horizon, count, total?.Effort ?? 0m, cards,
                RoadmapUrls.ListOfColumn(productId, scope.Team?.Id, horizon, shipped, count > BoardPage.MaxCards ? 2 : 1)));
        }

        return new BoardPage(scope, shipped, columns, access.MayEditSomeItems);
    }

    /// <summary>A class, not a record: EF needs settable members to project the same shape in each part of the UNION.</summary>
    private sealed class CardRow
    {
        public int Id { get; init; }

        public string Title { get; init; } = string.Empty;

        public int TeamId { get; init; }

        public RoadmapItemStatus Status { get; init; }

        public RoadmapHorizon Horizon { get; init; }

        public int BoardPosition { get; init; }

        public decimal? Effort { get; init; }

        public int? RiceReach { get; init; }

        public decimal? RiceImpact { get; init; }

        public int? RiceConfidence { get; init; }

        public long Version { get; init; }

        public string? BlockedBy { get; init; }

        public int BlockerCount { get; init; }
    }
}
