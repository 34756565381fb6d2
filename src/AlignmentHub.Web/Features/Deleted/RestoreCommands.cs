using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Objectives;
using AlignmentHub.Web.Features.Roadmap;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Deleted;

/// <summary>Restore from "Recently deleted": the version the page showed is posted, so a restore never acts on something changed meanwhile.</summary>
public sealed class RestoreDeletedCommand : ICommand<RestoreDeletedResult>
{
    public DeletedKind Kind { get; set; }

    public int Id { get; set; }

    public long Version { get; set; }
}

public sealed record RestoreDeletedResult(string Message, string RedirectUrl);

public sealed class RestoreDeletedHandler(AppDbContext db, OkrAccess okrs, RoadmapAccess roadmap, TimeProvider clock)
    : ICommandHandler<RestoreDeletedCommand, RestoreDeletedResult>
{
    public const string ChangedText = "It changed since this page was shown (someone restored it, or it was deleted again). Nothing was changed; the list is as it is now.";

    public async ValueTask<RestoreDeletedResult> Handle(RestoreDeletedCommand command, CancellationToken cancellationToken)
    {
        var result = command.Kind == DeletedKind.Objective
            ? await RestoreObjectiveAsync(command, cancellationToken)
            : await RestoreItemAsync(command, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException(ChangedText);
        }

        return result;
    }

    private async Task<RestoreDeletedResult> RestoreObjectiveAsync(RestoreDeletedCommand command, CancellationToken cancellationToken)
    {
        // Past the filter for this one row only: its key results and check-ins come back with it through theirs.
        var objective = await db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly)
            .SingleOrDefaultAsync(o => o.Id == command.Id && o.DeletedAt != null, cancellationToken) ?? throw new NotFoundException("The deleted objective");
        await okrs.EnsureCanEditObjectiveAsync(objective.TeamId, await okrs.ProductOfAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken), cancellationToken);
        EnsureVersion(objective, command.Version);

        if (objective.ParentObjectiveId is { } parentId)
        {
            var parent = await db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).AsNoTracking().Where(o => o.Id == parentId)
                .Select(o => new { o.Title, o.DeletedAt }).SingleAsync(cancellationToken);
            if (parent.DeletedAt is not null)
            {
                throw new DomainException($"Its parent objective “{parent.Title}” is deleted too: restore that first, then this one.");
            }

            // While it was away its parent may have been re-aligned below one of its own children (the check then could
            // not see it): restoring would close a loop.
            var parentOf = await db.Objectives.AsNoTracking().Where(o => o.ParentObjectiveId != null)
                .ToDictionaryAsync(o => o.Id, o => o.ParentObjectiveId, cancellationToken);
            var seen = new HashSet<int>();
            for (int? up = parentId; up is { } u && seen.Add(u); up = parentOf.GetValueOrDefault(u))
            {
                if (u == objective.Id)
                {
                    throw new DomainException("Its parent objective now sits below it (it was re-aligned while this one was deleted): restoring would make a loop. Re-align the parent first.");
                }
            }
        }

        objective.RestoreDeleted(clock.GetUtcNow());
        var keyResults = await db.KeyResults.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(k => k.ObjectiveId == objective.Id, cancellationToken);
        return new RestoreDeletedResult(
            $"Objective “{objective.Title}” restored with its {(keyResults == 1 ? "key result" : $"{keyResults} key results")} and their check-ins. "
            + "What was chosen in the impact check when it was deleted stays as it is: items and objectives re-linked or dropped then keep their new link or status.",
            ObjectiveUrls.Objective(objective.Id));
    }

    private async Task<RestoreDeletedResult> RestoreItemAsync(RestoreDeletedCommand command, CancellationToken cancellationToken)
    {
        var item = await db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly)
            .SingleOrDefaultAsync(i => i.Id == command.Id && i.DeletedAt != null, cancellationToken) ?? throw new NotFoundException("The deleted roadmap item");
        await roadmap.EnsureCanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);
        EnsureVersion(item, command.Version);

        // Its dependencies come back with it. While it was away, the cycle check could not see them: if an item it
        // depends on now (indirectly) depends on it, restoring would close a cycle.
        // (IgnoreQueryFilters reaches the subqueries too, hence the explicit DeletedAt conditions.)
        var edges = await db.ItemDependencies.IgnoreQueryFilters(QueryFilters.DeletedOnly).AsNoTracking()
            .Where(d => d.RoadmapItemId == item.Id || db.RoadmapItems.Any(i => i.Id == d.RoadmapItemId && i.DeletedAt == null))
            .Where(d => d.BlockerId == item.Id || db.RoadmapItems.Any(i => i.Id == d.BlockerId && i.DeletedAt == null))
            .Select(d => new { d.RoadmapItemId, d.BlockerId }).ToListAsync(cancellationToken);
        var dependsOn = edges.ToLookup(e => e.RoadmapItemId, e => e.BlockerId);
        var seen = new HashSet<int>();
        var queue = new Queue<int>(dependsOn[item.Id]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (next == item.Id)
            {
                throw new DomainException("An item it waits for now waits for it (a dependency added while it was deleted): restoring would make a cycle. Remove that dependency first.");
            }

            if (seen.Add(next))
            {
                foreach (var d in dependsOn[next])
                {
                    queue.Enqueue(d);
                }
            }
        }

        item.RestoreDeleted(clock.GetUtcNow());
        return new RestoreDeletedResult(
            $"Roadmap item “{item.Title}” restored with its links, dependencies and customer evidence{(item.ArchivedAt is null ? "" : "; it is still archived, as it was")}.",
            RoadmapUrls.Item(item.Id));
    }

    private void EnsureVersion(Entity entity, long posted)
    {
        if (entity.Version != posted)
        {
            throw new DomainException(ChangedText);
        }

        Shared.Conflicts.ExpectVersion(db, entity, posted);
    }
}
