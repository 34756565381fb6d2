using System.Security.Cryptography;
using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.AdminUsers;

/// <summary>Give a user exactly these roles (the checkboxes of the user page).</summary>
public sealed class SetUserRolesCommand : ICommand<int>
{
    public string UserId { get; set; } = string.Empty;

    public List<string>? Roles { get; set; }

    /// <summary>Identity's concurrency stamp when the page was opened.</summary>
    public string? ConcurrencyStamp { get; set; }
}

/// <summary>Disable (cannot sign in, sessions ended) or enable a user.</summary>
public sealed class SetUserDisabledCommand : ICommand<int>
{
    public string UserId { get; set; } = string.Empty;

    public bool Disable { get; set; }

    public string? ConcurrencyStamp { get; set; }
}

/// <summary>End every session of a user, on every device and instance.</summary>
public sealed class SignOutEverywhereCommand : ICommand<int>
{
    public string UserId { get; set; } = string.Empty;
}

public sealed class SetUserRolesValidator : AbstractValidator<SetUserRolesCommand>
{
    public SetUserRolesValidator()
    {
        RuleFor(c => c.Roles).Cascade(CascadeMode.Stop)
            .Must(r => r is { Count: > 0 }).WithMessage("Choose at least one role.")
            .Must(r => r!.All(global::AlignmentHub.Infrastructure.Identity.Roles.All.Contains)).WithMessage("Choose roles from the list.");
        RuleFor(c => c.ConcurrencyStamp).NotEmpty().WithMessage("This form is damaged or out of date. Reload the page and try again.");
    }
}

public sealed class SetUserDisabledValidator : AbstractValidator<SetUserDisabledCommand>
{
    public SetUserDisabledValidator() =>
        RuleFor(c => c.ConcurrencyStamp).NotEmpty().WithMessage("This form is damaged or out of date. Reload the page and try again.");
}

internal static class AdminUserRules
{
    public const string ConflictMessage = "Someone else changed this user while you were looking at the page.";

    public static void EnsureAdmin(ICurrentUser user)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            throw new ForbiddenException("Only administrators can manage users.");
        }
    }

    /// <summary>The user, tracked, with EF told to check the stamp the form was opened with (not the one just read).</summary>
    public static async Task<ApplicationUser> LoadForChangeAsync(AppDbContext db, string userId, string? postedStamp, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("The user");
        if (postedStamp is not null)
        {
            if (user.ConcurrencyStamp != postedStamp)
            {
                throw await ConflictAsync(db, userId, cancellationToken);
            }

            db.Entry(user).Property(u => u.ConcurrencyStamp).OriginalValue = postedStamp;
        }

        return user;
    }

    /// <summary>
    /// Saves the change with a new security stamp (so copies of old cookies fail their next validation) and ends the
    /// user's sessions, in one transaction; refuses a result without an enabled administrator.
    /// </summary>
    public static async Task<int> SaveAndRevokeAsync(AppDbContext db, ApplicationUser user, CancellationToken cancellationToken)
    {
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Serialise user administration: the first write of every such transaction is to the same row, so a second
        // one waits for the first to commit and then counts its administrators with the first one's change in view
        // (PostgreSQL and SQL Server row lock; SQLite's single writer). Without it, two administrators removing each
        // other at the same moment could both pass the check below and leave none.
        await db.Roles.Where(r => r.Name == Roles.Admin).ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw await ConflictAsync(db, user.Id, cancellationToken);
        }

        // Counted after the write, inside the serialised transaction.
        if (!await EnabledAdminsQuery(db).AnyAsync(cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            throw new DomainException("This would leave no administrator. Make someone else an administrator first.");
        }

        var ended = await DatabaseTicketStore.RemoveAllForUserAsync(db, user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    public static IQueryable<string> EnabledAdminsQuery(AppDbContext db) =>
        from ur in db.UserRoles
        join r in db.Roles on ur.RoleId equals r.Id
        join u in db.Users on ur.UserId equals u.Id
        where r.Name == Roles.Admin && !u.IsDisabled
        select u.Id;

    public static async Task<ConcurrencyConflictException> ConflictAsync(AppDbContext db, string userId, CancellationToken cancellationToken)
    {
        var current = await AdminUserReader.ReadAsync(db, userId, DateTimeOffset.MinValue, cancellationToken);
        var row = current.SingleOrDefault() ?? throw new NotFoundException("The user");
        var last = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(ApplicationUser) && a.EntityId == userId)
            .OrderByDescending(a => a.Id)
            .Select(a => new { Name = db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault() ?? a.UserName, a.OccurredAt })
            .FirstOrDefaultAsync(cancellationToken);
        return new ConcurrencyConflictException(last?.Name ?? "Someone", last?.OccurredAt, new Dictionary<string, string?>
        {
            ["Roles"] = string.Join(", ", row.Roles.Select(Roles.DisplayName)),
            ["Status"] = row.IsDisabled ? "Disabled" : "Active",
        });
    }
}

public sealed class SetUserRolesHandler(AppDbContext db, ICurrentUser current) : ICommandHandler<SetUserRolesCommand, int>
{
    public async ValueTask<int> Handle(SetUserRolesCommand command, CancellationToken cancellationToken)
    {
        AdminUserRules.EnsureAdmin(current);
        var wanted = command.Roles!.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (command.UserId == current.Id && !wanted.Contains(Roles.Admin))
        {
            throw new DomainException("You cannot remove your own administrator role. Ask another administrator to do it.", nameof(SetUserRolesCommand.Roles));
        }

        var user = await AdminUserRules.LoadForChangeAsync(db, command.UserId, command.ConcurrencyStamp, cancellationToken);
        var roleIds = await db.Roles.AsNoTracking().Where(r => r.Name != null).ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
        var held = await db.UserRoles.Where(ur => ur.UserId == user.Id).ToListAsync(cancellationToken);
        var heldNames = held.Select(h => roleIds.FirstOrDefault(r => r.Value == h.RoleId).Key).ToHashSet(StringComparer.Ordinal);
        if (heldNames.SetEquals(wanted))
        {
            return 0; // nothing to change: no audit row, sessions kept
        }

        db.UserRoles.RemoveRange(held.Where(h => !wanted.Contains(roleIds.FirstOrDefault(r => r.Value == h.RoleId).Key ?? string.Empty)));
        foreach (var role in wanted.Where(r => !heldNames.Contains(r)))
        {
            db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[role] });
        }

        return await AdminUserRules.SaveAndRevokeAsync(db, user, cancellationToken);
    }
}

public sealed class SetUserDisabledHandler(AppDbContext db, ICurrentUser current) : ICommandHandler<SetUserDisabledCommand, int>
{
    public async ValueTask<int> Handle(SetUserDisabledCommand command, CancellationToken cancellationToken)
    {
        AdminUserRules.EnsureAdmin(current);
        if (command.Disable && command.UserId == current.Id)
        {
            throw new DomainException("You cannot disable your own account. Ask another administrator to do it.");
        }

        var user = await AdminUserRules.LoadForChangeAsync(db, command.UserId, command.ConcurrencyStamp, cancellationToken);
        if (user.IsDisabled == command.Disable)
        {
            return 0;
        }

        user.IsDisabled = command.Disable;
        return await AdminUserRules.SaveAndRevokeAsync(db, user, cancellationToken);
    }
}

public sealed class SignOutEverywhereHandler(AppDbContext db, ICurrentUser current) : ICommandHandler<SignOutEverywhereCommand, int>
{
    public async ValueTask<int> Handle(SignOutEverywhereCommand command, CancellationToken cancellationToken)
    {
        AdminUserRules.EnsureAdmin(current);

        // No version check: ending sessions twice does no harm. The new security stamp is the audited trace of it.
        var user = await AdminUserRules.LoadForChangeAsync(db, command.UserId, null, cancellationToken);
        return await AdminUserRules.SaveAndRevokeAsync(db, user, cancellationToken);
    }
}
