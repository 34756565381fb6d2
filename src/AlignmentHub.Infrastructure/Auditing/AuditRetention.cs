using System.Text.Json;
using AlignmentHub.Domain.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AlignmentHub.Infrastructure.Auditing;

/// <summary>
/// The only way audit rows leave the database: rows older than the retention period are deleted in one statement,
/// under a permit of the <see cref="AuditTableGuard"/>, and the purge itself is written to the audit trail.
/// </summary>
public static class AuditRetention
{
    /// <summary>Checklist item 36 and what comparable tools promise: a year at least.</summary>
    public const int MinimumDays = 365;

    public const int DefaultDays = 400;

    /// <summary>Deletes the audit rows that occurred before <paramref name="cutoff"/>; returns how many went.</summary>
    public static async Task<int> DeleteOlderThanAsync(AppDbContext db, DateTimeOffset cutoff, int retentionDays, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (retentionDays < MinimumDays)
        {
            throw new ArgumentOutOfRangeException(nameof(retentionDays), $"Audit rows are kept at least {MinimumDays} days.");
        }

        var guard = db.GetService<IDbContextOptions>().Extensions.OfType<CoreOptionsExtension>().Single().Interceptors?.OfType<AuditTableGuard>().SingleOrDefault()
            ?? throw new InvalidOperationException("The audit table guard is not registered on this DbContext.");
        var utcCutoff = cutoff.ToUniversalTime();
        int deleted;
        using (guard.PermitRetentionDelete())
        {
            deleted = await db.AuditEntries.Where(a => a.OccurredAt < utcCutoff).ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted > 0)
        {
            var changes = JsonSerializer.Serialize(new { deleted, before = utcCutoff, retentionDays });
            db.AuditEntries.Add(new AuditEntry(clock.GetUtcNow(), null, "system", "AuditLog", "retention", "Purged", changes, null));
            await db.SaveChangesAsync(cancellationToken);
        }

        return deleted;
    }
}
