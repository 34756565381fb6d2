using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Shared;

/// <summary>What the shared layout needs beyond the page itself: the product its Vision and Goals links open.</summary>
public sealed class NavigationContext(AppDbContext db)
{
    /// <summary>The first product by name, for pages that are not about one product (home, OKRs).</summary>
    public Task<int?> DefaultProductIdAsync() =>
        db.Products.AsNoTracking().OrderBy(p => p.Name).Select(p => (int?)p.Id).FirstOrDefaultAsync();
}
