namespace AlignmentHub.Domain.Common;

/// <summary>
/// The "recently deleted" rule shared by objectives and roadmap items (security checklist item 39): a deleted row is
/// hidden everywhere, restorable for <see cref="RestoreDays"/> days, and purged for good after that.
/// </summary>
public static class Deletion
{
    public const int RestoreDays = 30;

    /// <summary>The last moment a row deleted at <paramref name="deletedAt"/> can be restored.</summary>
    public static DateTimeOffset RestorableUntil(DateTimeOffset deletedAt) => deletedAt.AddDays(RestoreDays);

    /// <summary>Rows deleted before this moment are past their restore window (and due for the purge).</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now) => now.AddDays(-RestoreDays);

    /// <summary>Days left to restore, counting a started day (30 just after the delete, 1 on the last day, 0 or less once passed).</summary>
    public static int DaysLeft(DateTimeOffset deletedAt, DateTimeOffset now) =>
        (int)Math.Ceiling((RestorableUntil(deletedAt) - now).TotalDays);

    internal static void EnsureDeletable(DateTimeOffset? deletedAt, string noun)
    {
        if (deletedAt is not null)
        {
            throw new DomainException($"The {noun} is already deleted.");
        }
    }

    internal static void EnsureRestorable(DateTimeOffset? deletedAt, DateTimeOffset now, string noun)
    {
        if (deletedAt is not { } at)
        {
            throw new DomainException($"The {noun} is not deleted, so there is nothing to restore.");
        }

        if (now > RestorableUntil(at))
        {
            throw new DomainException($"The {noun} was deleted more than {RestoreDays} days ago and can no longer be restored.");
        }
    }
}
