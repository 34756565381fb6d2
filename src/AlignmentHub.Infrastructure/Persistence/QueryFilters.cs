namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>Names of the model's query filters (EF Core 10 named filters), for the few queries that must see past them.</summary>
public static class QueryFilters
{
    /// <summary>
    /// Hides deleted objectives and roadmap items and everything that hangs from them: key results and check-ins of a
    /// deleted objective, links from a deleted item or to a deleted objective or key result, dependencies on either side
    /// of a deleted item, evidence of a deleted item. One name for all, so <c>IgnoreQueryFilters([Deleted])</c> (the
    /// "recently deleted" page, restore, the purge) sees the whole of what was deleted.
    /// </summary>
    public const string Deleted = "Deleted";

    public static readonly string[] DeletedOnly = [Deleted];
}
