using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Infrastructure.Errors;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Resource-based permission checks of brief §6 for roadmap items (their links, dependencies and evidence included):
/// Admins everywhere; product managers on the products they manage; team members on their own team's items;
/// executives read only.
/// </summary>
public sealed class RoadmapAccess(ICurrentUser user, UserMemberships memberships)
{
    /// <summary>Can the user change any roadmap item at all (to decide whether edit controls are shown)?</summary>
    public bool MayEditSomeItems => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProductManager) || user.IsInRole(Roles.TeamMember);

    /// <summary>May the user create or change an item of <paramref name="teamId"/> on <paramref name="productId"/>'s roadmap?</summary>
    public async Task<bool> CanEditItemAsync(int productId, int teamId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        if (user.IsInRole(Roles.ProductManager) && (await MyProductsAsync(cancellationToken)).Contains(productId))
        {
            return true;
        }

        return user.IsInRole(Roles.TeamMember) && (await MyTeamsAsync(cancellationToken)).Contains(teamId);
    }

    public async Task EnsureCanEditItemAsync(int productId, int teamId, CancellationToken cancellationToken)
    {
        if (!await CanEditItemAsync(productId, teamId, cancellationToken))
        {
            throw new ForbiddenException("Only the team's members, the product's managers and administrators can change this roadmap item.");
        }
    }

    /// <summary>May the user change every item of the product (bulk re-link, impact check on others' items)?</summary>
    public async Task<bool> CanEditWholeRoadmapAsync(int productId, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.ProductManager) && (await MyProductsAsync(cancellationToken)).Contains(productId));

    /// <summary>The teams the signed-in user belongs to.</summary>
    public Task<IReadOnlySet<int>> MyTeamsAsync(CancellationToken cancellationToken) => memberships.TeamsAsync(cancellationToken);

    private Task<IReadOnlySet<int>> MyProductsAsync(CancellationToken cancellationToken) => memberships.ManagedProductsAsync(cancellationToken);
}
