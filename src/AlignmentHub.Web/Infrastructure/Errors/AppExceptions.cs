namespace AlignmentHub.Web.Infrastructure.Errors;

/// <summary>The requested object does not exist (or the user may not know it exists): answered with 404.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The signed-in user may not do this: answered with 403.</summary>
public sealed class ForbiddenException(string message = "You do not have permission to do this.") : Exception(message);

/// <summary>
/// Someone else saved the same object after the form was opened. The form is shown again with the user's input
/// kept, and with who changed it, when, and the values now stored.
/// </summary>
public sealed class ConcurrencyConflictException(string changedBy, DateTimeOffset? changedAt, IReadOnlyDictionary<string, string?> currentValues)
    : Exception("Someone else changed this while you were editing.")
{
    public string ChangedBy { get; } = changedBy;

    public DateTimeOffset? ChangedAt { get; } = changedAt;

    /// <summary>Field name → value now stored, for showing beside the user's own input.</summary>
    public IReadOnlyDictionary<string, string?> CurrentValues { get; } = currentValues;

    /// <summary>The version now stored; the form carries it so that a deliberate re-save goes through.</summary>
    public long CurrentVersion { get; init; }
}
