using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.RoadmapItems;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Deleted;

public enum DeletedKind
{
    Objective = 1,
    Item = 2,
}

/// <summary>One row of "Recently deleted": what it was, who deleted it and when, and how long it can still be restored.</summary>
/// <param name="Where">Period of an objective; product, horizon and schedule of an item.</param>
/// <param name="Contents">What comes back with it ("3 key results, 12 check-ins").</param>
public sealed record DeletedRow(DeletedKind Kind, int Id, string Title, string TeamName, string Where, string Contents, string DeletedBy,
    DateTimeOffset DeletedAt, int DaysLeft, long Version)
{
    public string Key => $"{(Kind == DeletedKind.Objective ? "objective" : "item")}-{Id}";

    public string RestoreUrl => Kind == DeletedKind.Objective ? DeletedUrls.RestoreObjective(Id) : DeletedUrls.RestoreItem(Id);

    public string Noun => Kind == DeletedKind.Objective ? "Objective" : "Roadmap item";
}

public sealed record DeletedPage(IReadOnlyList<DeletedRow> Rows, bool MayEditSomething);

public static class DeletedUrls
{
    public const string Index = "/deleted";

    public static string RestoreObjective(int id) => FormattableString.Invariant($"/deleted/objectives/{id}/restore");

    public static string RestoreItem(int id) => FormattableString.Invariant($"/deleted/items/{id}/restore");
}

/// <summary>
/// Objectives and items deleted in the last <see cref="Deletion.RestoreDays"/> days that the user may edit, newest first.
/// The only read past the "Deleted" query filter besides restore and the purge. Five queries whatever the number of rows.
/// </summary>
public sealed record GetDeletedQuery : IQuery<DeletedPage>;

public sealed class GetDeletedHandler(AppDbContext db, OkrAccess okrs, RoadmapAccess roadmap, TimeProvider clock)
    : IQueryHandler<GetDeletedQuery, DeletedPage>
{
    public async ValueTask<DeletedPage> Handle(GetDeletedQuery query, CancellationToken cancellationToken)
    {
        if (!roadmap.MayEditSomeItems)
        {
            return new DeletedPage([], false);
        }

        var now = clock.GetUtcNow();
        var cutoff = Deletion.Cutoff(now);
        var objectives = await db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).AsNoTracking()
            .Where(o => o.DeletedAt != null && o.DeletedAt >= cutoff)
            .Select(o => new
            {
                o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId, DeletedAt = o.DeletedAt!.Value, o.DeletedById, o.Version,
                TeamName = db.Teams.Where(t => t.Id == o.TeamId).Select(t => t.Name).FirstOrDefault(),
                PeriodKey = db.Periods.Where(p => p.Id == o.PeriodId).Select(p => p.Key).FirstOrDefault(),
                KeyResults = o.KeyResults.Count(),
                CheckIns = o.KeyResults.SelectMany(k => k.CheckIns).Count(),
            })
            .ToListAsync(cancellationToken);
        var items = await db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).AsNoTracking()
            .Where(i => i.DeletedAt != null && i.DeletedAt >= cutoff)
            .Select(i => new
            {
                i.Id, i.Title, i.TeamId, i.ProductId, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, DeletedAt = i.DeletedAt!.Value, i.DeletedById, i.Version,
                TeamName = db.Teams.Where(t => t.Id == i.TeamId).Select(t => t.Name).FirstOrDefault(),
                ProductName = db.Products.Where(p => p.Id == i.ProductId).Select(p => p.Name).FirstOrDefault(),
                Links = i.Links.Count(),
                Evidence = i.Evidence.Count(),
            })
            .ToListAsync(cancellationToken);

        // The product an objective serves decides a product manager's right, as OkrAccess.ProductOfAsync answers it for
        // one objective (goal, or the first goal up the chain of existing parents): here for all rows from two reads.
        var goalProducts = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.ProductId }).ToDictionaryAsync(g => g.Id, g => g.ProductId, cancellationToken);
        var parents = objectives.Any(o => o.ParentObjectiveId is not null)
            ? await db.Objectives.AsNoTracking().Select(o => new { o.Id, o.GoalId, o.ParentObjectiveId }).ToDictionaryAsync(o => o.Id, o => (o.GoalId, o.ParentObjectiveId), cancellationToken)
            : [];
        var userIds = objectives.Select(o => o.DeletedById).Concat(items.Select(i => i.DeletedById)).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName })
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        string By(string? id) => id is null ? "Unknown" : names.GetValueOrDefault(id) ?? "A removed user";

        var rows = new List<DeletedRow>();
        foreach (var o in objectives)
        {
            if (!await okrs.CanEditObjectiveAsync(o.TeamId, ProductOf(o.GoalId, o.ParentObjectiveId, goalProducts, parents), cancellationToken))
            {
                continue;
            }

            rows.Add(new DeletedRow(DeletedKind.Objective, o.Id, o.Title, o.TeamName ?? "?", $"OKRs {o.PeriodKey}",
                $"{Plural(o.KeyResults, "key result")}, {Plural(o.CheckIns, "check-in")}", By(o.DeletedById), o.DeletedAt, Deletion.DaysLeft(o.DeletedAt, now), o.Version));
        }

        foreach (var i in items)
        {
            if (!await roadmap.CanEditItemAsync(i.ProductId, i.TeamId, cancellationToken))
            {
                continue;
            }

            rows.Add(new DeletedRow(DeletedKind.Item, i.Id, i.Title, i.TeamName ?? "?",
                $"{i.ProductName} roadmap · {ItemText.Horizon(i.Horizon)} · {ItemText.Schedule(i.TargetPeriodKey, i.StartDate, i.EndDate)}",
                ItemContents(i.Links, i.Evidence),
                By(i.DeletedById), i.DeletedAt, Deletion.DaysLeft(i.DeletedAt, now), i.Version));
        }

        return new DeletedPage(rows.OrderByDescending(r => r.DeletedAt).ThenBy(r => r.Title, StringComparer.Ordinal).ToList(), true);
    }

    private static int? ProductOf(int? goalId, int? parentId, Dictionary<int, int> goalProducts, Dictionary<int, (int? GoalId, int? ParentObjectiveId)> parents)
    {
        var seen = new HashSet<int>();
        while (goalId is null && parentId is { } p && seen.Add(p) && seen.Count <= 20)
        {
            if (!parents.TryGetValue(p, out var up))
            {
                return null;
            }

            (goalId, parentId) = up;
        }

        return goalId is { } g && goalProducts.TryGetValue(g, out var product) ? product : null;
    }

    /// <summary>"2 links, 1 piece of evidence", leaving out what it has none of.</summary>
    private static string ItemContents(int links, int evidence) => (links, evidence) switch
    {
        (0, 0) => "No links or evidence",
        (_, 0) => Plural(links, "link"),
        (0, _) => $"{Plural(evidence, "piece")} of evidence",
        _ => $"{Plural(links, "link")}, {Plural(evidence, "piece")} of evidence",
    };

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
