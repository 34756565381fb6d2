using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// The signed-in user's teams and managed products, read once per request and shared by the access rules
/// (<see cref="OkrAccess"/>, <see cref="RoadmapAccess"/>).
/// </summary>
public sealed class UserMemberships(AppDbContext db, ICurrentUser user)
{
    private HashSet<int>? teams;
    private HashSet<int>? products;

    public async Task<HashSet<int>> TeamsAsync(CancellationToken cancellationToken)
    {
        if (teams is null)
        {
            var id = user.Id;
            teams = (await db.TeamMemberships.AsNoTracking().Where(m => m.UserId == id).Select(m => m.TeamId).ToListAsync(cancellationToken)).ToHashSet();
        }

        return teams;
    }

    public async Task<HashSet<int>> ManagedProductsAsync(CancellationToken cancellationToken)
    {
        if (products is null)
        {
            var id = user.Id;
            products = (await db.ProductManagers.AsNoTracking().Where(m => m.UserId == id).Select(m => m.ProductId).ToListAsync(cancellationToken)).ToHashSet();
        }

        return products;
    }
}
