using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Resource-based permission checks of brief §6 for objectives, key results and check-ins:
/// Admins everywhere; product managers on objectives serving the products they manage (and check-ins anywhere);
/// team members on their own team's objectives and key results; executives read only.
/// </summary>
public sealed class OkrAccess(AppDbContext db, ICurrentUser user, UserMemberships memberships)
{
    public bool IsReadOnlyRole => !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.ProductManager) && !user.IsInRole(Roles.TeamMember);

    /// <summary>May the user create or edit objectives of <paramref name="teamId"/> serving <paramref name="productId"/>?</summary>
    public async Task<bool> CanEditObjectiveAsync(int teamId, int? productId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        if (user.IsInRole(Roles.ProductManager) && productId is { } p && (await MyProductsAsync(cancellationToken)).Contains(p))
        {
            return true;
        }

        return user.IsInRole(Roles.TeamMember) && (await MyTeamsAsync(cancellationToken)).Contains(teamId);
    }

    /// <summary>May the user check in on a key result of <paramref name="teamId"/>'s objective?</summary>
    public async Task<bool> CanCheckInAsync(int teamId, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProductManager)
        || (user.IsInRole(Roles.TeamMember) && (await MyTeamsAsync(cancellationToken)).Contains(teamId));

    public async Task EnsureCanEditObjectiveAsync(int teamId, int? productId, CancellationToken cancellationToken)
    {
        if (!await CanEditObjectiveAsync(teamId, productId, cancellationToken))
        {
            throw new ForbiddenException("Only the team's members, the product's managers and administrators can change these objectives.");
        }
    }

    public async Task EnsureCanCheckInAsync(int teamId, CancellationToken cancellationToken)
    {
        if (!await CanCheckInAsync(teamId, cancellationToken))
        {
            throw new ForbiddenException("Only the team's members, product managers and administrators can check in on this key result.");
        }
    }

    /// <summary>The teams the signed-in user belongs to.</summary>
    public Task<HashSet<int>> MyTeamsAsync(CancellationToken cancellationToken) => memberships.TeamsAsync(cancellationToken);

    private Task<HashSet<int>> MyProductsAsync(CancellationToken cancellationToken) => memberships.ManagedProductsAsync(cancellationToken);

    /// <summary>
    /// The product an objective serves: the product of its goal, or of the first goal up its chain of parents.
    /// Null when the chain reaches no goal.
    /// </summary>
    public async Task<int?> ProductOfAsync(int? goalId, int? parentObjectiveId, CancellationToken cancellationToken)
    {
        var seen = new HashSet<int>();
        while (goalId is null && parentObjectiveId is { } parentId && seen.Add(parentId) && seen.Count <= 20)
        {
            var parent = await db.Objectives.AsNoTracking().Where(o => o.Id == parentId)
                .Select(o => new { o.GoalId, o.ParentObjectiveId }).SingleOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                return null;
            }

            (goalId, parentObjectiveId) = (parent.GoalId, parent.ParentObjectiveId);
        }

        return goalId is { } g
            ? await db.Goals.AsNoTracking().Where(x => x.Id == g).Select(x => (int?)x.ProductId).SingleOrDefaultAsync(cancellationToken)
            : null;
    }
}
