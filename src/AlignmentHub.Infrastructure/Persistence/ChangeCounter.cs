namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// One row whose value grows by one in every transaction that changes business data. Read models cached in memory
/// compare it with the value they were built from, so every app instance sees a committed change on its next read.
/// </summary>
public sealed class ChangeCounter
{
    public const int SingletonId = 1;

    public int Id { get; set; }

    public long Value { get; set; }
}
