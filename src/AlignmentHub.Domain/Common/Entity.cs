namespace AlignmentHub.Domain.Common;

/// <summary>Base for every editable entity: an integer key and an application-managed concurrency token.</summary>
/// <remarks>
/// <see cref="Version"/> is bumped by the persistence layer on every update, so the same optimistic-concurrency
/// check works on SQLite, SQL Server and PostgreSQL (database-generated row versions do not exist on SQLite).
/// </remarks>
public abstract class Entity
{
    public int Id { get; protected set; }

    public long Version { get; private set; }

    /// <summary>Called by the persistence layer just before an update is written.</summary>
    public void BumpVersion() => Version++;
}
