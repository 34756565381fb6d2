using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// The signed-in user's teams and managed products, shared by the access rules (<see cref="OkrAccess"/>,
/// <see cref="RoadmapAccess"/>). Read once per change of the database (memberships are business data: changing one
/// moves the change counter, ADR 0005) and once per request at most.
/// </summary>
public sealed class UserMemberships(AppDbContext db, ICurrentUser user, ReadModelCache cache)
{
    private Memberships? memberships;

    public async Task<IReadOnlySet<int>> TeamsAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Teams;

    public async Task<IReadOnlySet<int>> ManagedProductsAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Products;

    private async Task<Memberships> ReadAsync(CancellationToken cancellationToken)
    {
        if (memberships is null)
        {
            var id = user.Id;
            memberships = await cache.GetOrReadAsync(db, ("memberships", id), async () => new Memberships(
                (await db.TeamMemberships.AsNoTracking().Where(m => m.UserId == id).Select(m => m.TeamId).ToListAsync(cancellationToken)).ToHashSet(),
                (await db.ProductManagers.AsNoTracking().Where(m => m.UserId == id).Select(m => m.ProductId).ToListAsync(cancellationToken)).ToHashSet()),
                cancellationToken);
        }

        return memberships;
    }

    /// <summary>Shared by concurrent requests of the same user: callers only read the sets.</summary>
    private sealed record Memberships(IReadOnlySet<int> Teams, IReadOnlySet<int> Products);
}
