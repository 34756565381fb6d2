using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.AdminUsers;

/// <summary>A user as the administrator sees them.</summary>
public sealed record AdminUserRow(
    string Id,
    string DisplayName,
    string? Email,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Teams,
    bool IsDisabled,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? LastSignIn,
    int ActiveSessions,
    string? ConcurrencyStamp);

public sealed record AdminUserList(IReadOnlyList<AdminUserRow> Users);

public sealed record GetAdminUsersQuery : IQuery<AdminUserList>;

public sealed record GetAdminUserQuery(string UserId) : IQuery<AdminUserRow>;

/// <summary>Reads users with their roles, teams and sessions in four queries, whatever the number of users.</summary>
internal static class AdminUserReader
{
    public static async Task<List<AdminUserRow>> ReadAsync(AppDbContext db, string? userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Where(u => userId == null || u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName, u.IsDisabled, u.LockoutEnd, u.ConcurrencyStamp })
            .ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userId == null || ur.UserId == userId
                           select new { ur.UserId, r.Name }).AsNoTracking().ToListAsync(cancellationToken);
        var teams = await (from m in db.TeamMemberships
                           join t in db.Teams on m.TeamId equals t.Id
                           where userId == null || m.UserId == userId
                           select new { m.UserId, t.Name }).AsNoTracking().ToListAsync(cancellationToken);

        // Sessions are few (users × devices); the 12-hour rule is applied here rather than in provider-specific SQL.
        var sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId != null && (userId == null || s.UserId == userId))
            .Select(s => new { s.UserId, s.CreatedAt, s.ExpiresAt }).ToListAsync(cancellationToken);

        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name ?? string.Empty);
        var teamsByUser = teams.ToLookup(t => t.UserId, t => t.Name);
        var sessionsByUser = sessions.ToLookup(s => s.UserId!);
        return users
            .Select(u => new AdminUserRow(
                u.Id,
                string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName,
                u.Email,
                Roles.All.Where(r => rolesByUser[u.Id].Contains(r)).ToList(),
                teamsByUser[u.Id].Order(StringComparer.CurrentCulture).ToList(),
                u.IsDisabled,
                u.LockoutEnd > now ? u.LockoutEnd : null,
                sessionsByUser[u.Id].Select(s => (DateTimeOffset?)s.CreatedAt).Max(),
                sessionsByUser[u.Id].Count(s => DatabaseTicketStore.IsActive(s.CreatedAt, s.ExpiresAt, now)),
                u.ConcurrencyStamp))
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }
}

public sealed class GetAdminUsersHandler(AppDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<GetAdminUsersQuery, AdminUserList>
{
    public async ValueTask<AdminUserList> Handle(GetAdminUsersQuery query, CancellationToken cancellationToken)
    {
        AdminUserRules.EnsureAdmin(user);
        return new AdminUserList(await AdminUserReader.ReadAsync(db, null, clock.GetUtcNow(), cancellationToken));
    }
}

public sealed class GetAdminUserHandler(AppDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<GetAdminUserQuery, AdminUserRow>
{
    public async ValueTask<AdminUserRow> Handle(GetAdminUserQuery query, CancellationToken cancellationToken)
    {
        AdminUserRules.EnsureAdmin(user);
        if (string.IsNullOrWhiteSpace(query.UserId))
        {
            // A blank id (the address /admin/users/%20 binds as null) would read every user, not none.
            throw new NotFoundException("The user");
        }

        var rows = await AdminUserReader.ReadAsync(db, query.UserId, clock.GetUtcNow(), cancellationToken);
        return rows.SingleOrDefault() ?? throw new NotFoundException("The user");
    }
}
