using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Home;

public sealed record ProductOverview(int Id, string Name, string? Description, int VisionVersion, DateTimeOffset? VisionSavedAt, string? VisionAuthor, string? VisionHeadline, IReadOnlyList<(int Id, int Rank, string Title)> TopGoals, int ActiveGoalCount);

public sealed record HomePage(IReadOnlyList<ProductOverview> Products);

public sealed record GetHomeQuery : IQuery<HomePage>;

public sealed class GetHomeHandler(AppDbContext db) : IQueryHandler<GetHomeQuery, HomePage>
{
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
        return new HomePage(products.Select(p =>
        {
            var productGoals = goals.Where(g => g.ProductId == p.Id).ToList();
            return new ProductOverview(p.Id, p.Name, p.Description, p.Vision?.Number ?? 0, p.Vision?.CreatedAt, p.Vision?.AuthorName, Headline(p.Vision?.Text),
                productGoals.Take(5).Select(g => (g.Id, g.Rank, g.Title)).ToList(), productGoals.Count);
        }).ToList());
    }

    /// <summary>The vision's first non-empty line without Markdown heading marks: its one-sentence headline.</summary>
    private static string? Headline(string? text) =>
        text?.Split('\n').Select(l => l.Trim().TrimStart('#').Trim()).FirstOrDefault(l => l.Length > 0);
}

[Route("")]
public sealed class HomeController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetHomeQuery(), cancellationToken);
        SetPage("Home", "home", page.Products.Count == 1 ? page.Products[0].Id : null);
        return View(page);
    }
}
