namespace AlignmentHub.Infrastructure.Auditing;

/// <summary>Who is making the current change, for the audit trail. The web layer reads it from the signed-in user.</summary>
public interface IAuditActor
{
    string? UserId { get; }

    string? UserName { get; }

    string? CorrelationId { get; }
}

/// <summary>The actor for changes made outside a request: start-up seeding, command-line tools.</summary>
public sealed class SystemAuditActor : IAuditActor
{
    public string? UserId => null;

    public string? UserName => "system";

    public string? CorrelationId => null;
}
