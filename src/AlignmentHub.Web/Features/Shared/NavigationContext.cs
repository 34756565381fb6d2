using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Shared;

/// <summary>What the shared layout needs beyond the page itself: the product its Vision and Goals links open.</summary>
public sealed class NavigationContext(AppDbContext db, ReadModelCache cache)
{
    /// <summary>The first product by name, for pages that are not about one product (home, OKRs).</summary>
    public async Task<int?> DefaultProductIdAsync()
    {
        // Every page's layout asks: kept until the data changes (ADR 0005), like the pages' own read models.
        var first = await cache.GetOrReadAsync(db, "navigation-default-product", async () =>
            new DefaultProduct(await db.Products.AsNoTracking().OrderBy(p => p.Name).Select(p => (int?)p.Id).FirstOrDefaultAsync()), CancellationToken.None);
        return first.Id;
    }

    private sealed record DefaultProduct(int? Id);
}
