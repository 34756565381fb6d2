using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Dashboards;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Home;

public sealed record ProductOverview(int Id, string Name, string? Description, int VisionVersion, DateTimeOffset? VisionSavedAt, string? VisionAuthor, string? VisionHeadline, IReadOnlyList<(int Id, int Rank, string Title)> TopGoals, int ActiveGoalCount);

/// <summary>An item the user owns, with its why chains.</summary>
public sealed record MyItem(int Id, string Title, string ProductName, AlignmentHub.Domain.Roadmap.RoadmapItemStatus Status, AlignmentHub.Domain.Roadmap.RoadmapHorizon Horizon,
    decimal? Effort, bool IsOrphan, IReadOnlyList<AlignmentHub.Web.Features.RoadmapItems.WhyChainModel> Chains);

/// <summary>A key result of one of the user's teams that is due for a check-in (or overdue: stale).</summary>
public sealed record DueKeyResult(int Id, string Title, int ObjectiveId, string ObjectiveTitle, string TeamName, int DaysSinceCheckIn, int CadenceDays, bool Stale);

/// <summary>"My work" (brief §4): the items I own with their why, and my teams' key results due for a check-in.</summary>
public sealed record MyWork(IReadOnlyList<MyItem> Items, IReadOnlyList<DueKeyResult> DueKeyResults, bool HasTeams);

public sealed record HomePage(IReadOnlyList<ProductOverview> Products, MyWork? Work);

public sealed record GetHomeQuery : IQuery<HomePage>;

public sealed class GetHomeHandler(AppDbContext db, ICurrentUser user, AlignmentGraphLoader snapshots, TimeProvider clock) : IQueryHandler<GetHomeQuery, HomePage>
{
    /// <summary>A key result is due for a check-in this many days before its cadence runs out.</summary>
    public const int DueWithinDays = 3;

    public async ValueTask<HomePage> Handle(GetHomeQuery query, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new
            {
                p.Id,
                p.Name,
                p.Description,
                Vision = db.Visions.Where(v => v.ProductId == p.Id)
                    .SelectMany(v => v.Versions.Where(x => x.Number == v.CurrentVersionNumber))
                    .Select(x => new { x.Number, x.CreatedAt, x.AuthorName, x.Text }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var goals = await db.Goals.AsNoTracking().Where(g => g.Rank != null).OrderBy(g => g.Rank)
            .Select(g => new { g.ProductId, g.Id, Rank = g.Rank!.Value, g.Title }).ToListAsync(cancellationToken);
        var overviews = products.Select(p =>
        {
            var productGoals = goals.Where(g => g.ProductId == p.Id).ToList();
            return new ProductOverview(p.Id, p.Name, p.Description, p.Vision?.Number ?? 0, p.Vision?.CreatedAt, p.Vision?.AuthorName, Headline(p.Vision?.Text),
                productGoals.Take(5).Select(g => (g.Id, g.Rank, g.Title)).ToList(), productGoals.Count);
        }).ToList();
        return new HomePage(overviews, await MyWorkAsync(overviews, cancellationToken));
    }

    /// <summary>
    /// The user's open items (one query) and their teams (one query); everything else comes from the products'
    /// snapshots, so the page stays a fixed number of queries per product.
    /// </summary>
    private async Task<MyWork?> MyWorkAsync(IReadOnlyList<ProductOverview> products, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        var myItems = await db.RoadmapItems.AsNoTracking()
            .Where(i => i.OwnerId == userId && i.ArchivedAt == null && i.Status != AlignmentHub.Domain.Roadmap.RoadmapItemStatus.Dropped && i.Status != AlignmentHub.Domain.Roadmap.RoadmapItemStatus.Shipped)
            .Select(i => new { i.Id, i.ProductId })
            .ToListAsync(cancellationToken);
        var myTeams = (await db.TeamMemberships.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(cancellationToken)).ToHashSet();
        if (myItems.Count == 0 && myTeams.Count == 0)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var items = new List<MyItem>();
        var due = new List<DueKeyResult>();
        foreach (var product in products)
        {
            var ownedHere = myItems.Where(i => i.ProductId == product.Id).Select(i => i.Id).ToList();
            var snapshot = await snapshots.SnapshotAsync(product.Id, cancellationToken);
            var graph = snapshot.Graph;
            foreach (var id in ownedHere)
            {
                var row = snapshot.ItemsById[id];
                items.Add(new MyItem(id, row.Title, product.Name, row.Status, row.Horizon, row.Effort,
                    graph.Item(id) is { Counts: true } && !graph.IsAligned(id),
                    AlignmentHub.Web.Features.RoadmapItems.WhyChains.For(graph, product.Id, id, product.VisionHeadline, snapshot.TeamNames)));
            }

            foreach (var kr in snapshot.KeyResults.Where(k => myTeams.Contains(k.TeamId)))
            {
                var days = (int)Math.Floor((now - (kr.LastCheckInAt ?? kr.CreatedAt)).TotalDays);
                if (days >= kr.CadenceDays - DueWithinDays)
                {
                    due.Add(new DueKeyResult(kr.Id, kr.Title, kr.ObjectiveId, kr.ObjectiveTitle, snapshot.TeamNames.GetValueOrDefault(kr.TeamId) ?? "Team",
                        days, kr.CadenceDays, kr.IsStale(now)));
                }
            }
        }

        return new MyWork(
            items.OrderBy(i => i.Horizon).ThenBy(i => i.Title, StringComparer.CurrentCultureIgnoreCase).ToList(),
            due.OrderByDescending(k => k.Stale).ThenByDescending(k => k.DaysSinceCheckIn).ToList(),
            myTeams.Count > 0);
    }

    /// <summary>The vision's first non-empty line without Markdown heading marks: its one-sentence headline.</summary>
    private static string? Headline(string? text) =>
        text?.Split('\n').Select(l => l.Trim().TrimStart('#').Trim()).FirstOrDefault(l => l.Length > 0);
}

[Route("")]
public sealed class HomeController(IMediator mediator, ICurrentUser user) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        // An executive's home is the executive dashboard (brief §4).
        if (user.IsInRole(Roles.Executive) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.ProductManager) && !user.IsInRole(Roles.TeamMember))
        {
            try
            {
                var dashboard = await mediator.Send(new GetExecutiveDashboardQuery(null), cancellationToken);
                SetPage("Home", "home", dashboard.ProductId);
                return View("~/Features/Dashboards/Executive.cshtml", dashboard);
            }
            catch (AlignmentHub.Web.Infrastructure.Errors.NotFoundException)
            {
                // No product yet: the ordinary home page says what to do next.
            }
        }

        var page = await mediator.Send(new GetHomeQuery(), cancellationToken);
        SetPage("Home", "home", page.Products.Count == 1 ? page.Products[0].Id : null);
        return View(page);
    }
}
