using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Shared;

public static class Conflicts
{
    /// <summary>
    /// Makes EF check the version the form was opened with, not the one just loaded: without this, the reload in the
    /// POST would make every stale save look current (security checklist, "MVC trap").
    /// </summary>
    public static void ExpectVersion<TEntity>(this AppDbContext db, TEntity entity, long postedVersion)
        where TEntity : Entity
    {
        db.Entry(entity).Property(e => e.Version).OriginalValue = postedVersion;
    }

    /// <summary>Builds the conflict shown to the second editor: who saved last, when, and the stored values.</summary>
    public static async Task<ConcurrencyConflictException> ConflictAsync(this AppDbContext db, string entityType, int entityId, long currentVersion,
        IReadOnlyDictionary<string, string?> currentValues, CancellationToken cancellationToken)
    {
        var id = entityId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == entityType && a.EntityId == id)
            .OrderByDescending(a => a.Id)
            .Select(a => new
            {
                Name = db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault() ?? a.UserName,
                a.OccurredAt,
            })
            .FirstOrDefaultAsync(cancellationToken);
        return new ConcurrencyConflictException(last?.Name ?? "Someone", last?.OccurredAt, currentValues) { CurrentVersion = currentVersion };
    }
}
