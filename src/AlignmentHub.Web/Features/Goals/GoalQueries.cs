using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Goals;

public sealed record GoalRow(int Id, string Title, string? Description, string? SuccessMetric, GoalHorizon Horizon, GoalStatus Status, int? Rank, long Version);

public sealed record GoalList(int ProductId, string ProductName, long ProductVersion, IReadOnlyList<GoalRow> Ranked, IReadOnlyList<GoalRow> Inactive, bool CanEdit);

public sealed record GetGoalsQuery(int ProductId) : IQuery<GoalList>;

public sealed class GetGoalsHandler(AppDbContext db, StrategyAccess access) : IQueryHandler<GetGoalsQuery, GoalList>
{
    public async ValueTask<GoalList> Handle(GetGoalsQuery query, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == query.ProductId)
            .Select(p => new { p.Name, p.Version }).SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The product");
        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == query.ProductId)
            .OrderBy(g => g.Rank == null).ThenBy(g => g.Rank).ThenBy(g => g.Title)
            .Select(g => new GoalRow(g.Id, g.Title, g.Description, g.SuccessMetric, g.Horizon, g.Status, g.Rank, g.Version))
            .ToListAsync(cancellationToken);
        return new GoalList(query.ProductId, product.Name, product.Version,
            goals.Where(g => g.Rank.HasValue).ToList(), goals.Where(g => !g.Rank.HasValue).ToList(),
            await access.CanEditStrategyAsync(query.ProductId, cancellationToken));
    }
}

public sealed record GoalDetail(int ProductId, string ProductName, GoalRow Goal, int ActiveGoalCount, bool CanEdit);

public sealed record GetGoalQuery(int ProductId, int GoalId) : IQuery<GoalDetail>;

public sealed class GetGoalHandler(AppDbContext db, StrategyAccess access) : IQueryHandler<GetGoalQuery, GoalDetail>
{
    public async ValueTask<GoalDetail> Handle(GetGoalQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var goal = await db.Goals.AsNoTracking().Where(g => g.Id == query.GoalId && g.ProductId == query.ProductId)
            .Select(g => new GoalRow(g.Id, g.Title, g.Description, g.SuccessMetric, g.Horizon, g.Status, g.Rank, g.Version))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The goal");
        var activeCount = await db.Goals.CountAsync(g => g.ProductId == query.ProductId && g.Rank != null, cancellationToken);
        return new GoalDetail(query.ProductId, productName, goal, activeCount, await access.CanEditStrategyAsync(query.ProductId, cancellationToken));
    }
}

public static class GoalText
{
    public static string Horizon(GoalHorizon horizon) => horizon switch
    {
        GoalHorizon.ShortTerm => "Short term (≤ 2 quarters)",
        GoalHorizon.MidTerm => "Mid term (this year)",
        GoalHorizon.LongTerm => "Long term (beyond a year)",
        _ => "—",
    };

    public static string ShortHorizon(GoalHorizon horizon) => horizon switch
    {
        GoalHorizon.ShortTerm => "Short term",
        GoalHorizon.MidTerm => "Mid term",
        GoalHorizon.LongTerm => "Long term",
        _ => "—",
    };
}
