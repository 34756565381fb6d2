using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Shared;

public static class ProductLookup
{
    /// <summary>The product's name, or 404 when it does not exist.</summary>
    public static async Task<string> GetProductNameAsync(this AppDbContext db, int productId, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("The product");
}
