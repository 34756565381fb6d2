namespace AlignmentHub.Domain.Auditing;

/// <summary>
/// One append-only audit row: who changed which entity, when, and the before → after values (JSON).
/// Written by the persistence layer in the same transaction as the change; never updated or deleted.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
        EntityType = string.Empty;
        EntityId = string.Empty;
        Action = string.Empty;
        Changes = string.Empty;
    }

    public AuditEntry(DateTimeOffset occurredAt, string? userId, string? userName, string entityType, string entityId,
        string action, string changes, string? correlationId)
    {
        OccurredAt = occurredAt;
        UserId = userId;
        UserName = userName;
        EntityType = entityType;
        EntityId = entityId;
        Action = action;
        Changes = changes;
        CorrelationId = correlationId;
    }

    public long Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>Null for changes made by the system (seeding, start-up).</summary>
    public string? UserId { get; private set; }

    public string? UserName { get; private set; }

    public string EntityType { get; private set; }

    public string EntityId { get; private set; }

    /// <summary>Created, Updated or Deleted.</summary>
    public string Action { get; private set; }

    /// <summary>JSON object: property → { "before": …, "after": … }.</summary>
    public string Changes { get; private set; }

    public string? CorrelationId { get; private set; }
}
