namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>The database engines AlignmentHub runs on; chosen by the setting <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}
