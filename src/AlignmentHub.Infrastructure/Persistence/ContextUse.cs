using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// What the interceptors and the page caches remember during one use of an <see cref="AppDbContext"/> (one request or
/// job). Contexts are pooled, so one instance serves many uses one after another: this state belongs to the use's
/// lease (<see cref="Microsoft.EntityFrameworkCore.DbContext.ContextId"/>) and starts empty with each new one.
/// </summary>
public sealed class ContextUse(int lease)
{
    internal int Lease { get; } = lease;

    /// <summary>Rows added by the save in progress, audited once the database has given them keys.</summary>
    internal List<(EntityEntry Entry, Dictionary<string, object?> Changes)> PendingAdded { get; } = [];

    /// <summary>The transaction the audit interceptor opened because the caller had none.</summary>
    internal IDbContextTransaction? OwnTransaction { get; set; }

    /// <summary>The audit interceptor's own second save is running (it must not audit itself).</summary>
    internal bool WritingAudit { get; set; }

    /// <summary>Business data was saved in the current transaction: the change counter is bumped before it commits.</summary>
    internal bool BusinessDataChanged { get; set; }

    /// <summary>The audit retention job may delete audit rows (<see cref="Auditing.AuditTableGuard"/>).</summary>
    internal bool RetentionPermit { get; set; }

    /// <summary>
    /// The change counter as first read during this use, so a page built from several cached parts reads it once.
    /// Forgotten when this use commits a change of its own.
    /// </summary>
    public long? ChangeStamp { get; set; }
}
