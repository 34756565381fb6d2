using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Resource-based permission checks of brief §6 for a product's vision and goals: Admins everywhere, product
/// managers on the products they manage, nobody else.
/// </summary>
public sealed class StrategyAccess(AppDbContext db, ICurrentUser user)
{
    public async Task<bool> CanEditStrategyAsync(int productId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        if (!user.IsInRole(Roles.ProductManager))
        {
            return false;
        }

        var userId = user.Id;
        return await db.ProductManagers.AnyAsync(m => m.ProductId == productId && m.UserId == userId, cancellationToken);
    }

    public async Task EnsureCanEditStrategyAsync(int productId, CancellationToken cancellationToken)
    {
        if (!await CanEditStrategyAsync(productId, cancellationToken))
        {
            throw new ForbiddenException("Only administrators and the product's managers can change its vision and goals.");
        }
    }
}
