using AlignmentHub.Domain.Collaboration;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Operations;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Deleted;

/// <summary>What one purge removed.</summary>
public sealed record PurgeResult(int Objectives, int Items)
{
    public static readonly PurgeResult None = new(0, 0);
}

/// <summary>
/// Removes for good the objectives and roadmap items deleted more than <see cref="Deletion.RestoreDays"/> days ago, with
/// their key results, check-ins, links, dependencies, evidence and comments, in one transaction. The rows are loaded and
/// removed through the change tracker, so the audit interceptor writes a Deleted row for each entity removed (with its
/// last values): the audit log can answer "where did key result 12 go" for a year, entity by entity. What other rows
/// pointed at them goes too (links from other items, dependencies on a purged item); a child objective of a purged
/// objective takes over that objective's own alignment, so no foreign key dangles.
/// </summary>
public static class DeletedPurge
{
    public static async Task<PurgeResult> RunAsync(AppDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = Deletion.Cutoff(now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var all = db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly);
        var objectives = await all.Include(o => o.KeyResults).ThenInclude(k => k.CheckIns)
            .Where(o => o.DeletedAt != null && o.DeletedAt < cutoff).AsSplitQuery().ToListAsync(cancellationToken);
        var items = await db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly)
            .Include(i => i.Links).Include(i => i.Dependencies).Include(i => i.Evidence)
            .Where(i => i.DeletedAt != null && i.DeletedAt < cutoff).AsSplitQuery().ToListAsync(cancellationToken);
        if (objectives.Count == 0 && items.Count == 0)
        {
            return PurgeResult.None;
        }

        var objectiveIds = objectives.Select(o => o.Id).ToList();
        var keyResultIds = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var itemIds = items.Select(i => i.Id).ToList();

        // Rows of other, surviving entities that point at what goes.
        var links = await db.RoadmapLinks.IgnoreQueryFilters(QueryFilters.DeletedOnly)
            .Where(l => (l.ObjectiveId != null && objectiveIds.Contains(l.ObjectiveId.Value)) || (l.KeyResultId != null && keyResultIds.Contains(l.KeyResultId.Value)))
            .ToListAsync(cancellationToken);
        db.RoadmapLinks.RemoveRange(links.Where(l => !itemIds.Contains(l.RoadmapItemId)));
        var dependencies = await db.ItemDependencies.IgnoreQueryFilters(QueryFilters.DeletedOnly)
            .Where(d => itemIds.Contains(d.BlockerId)).ToListAsync(cancellationToken);
        db.ItemDependencies.RemoveRange(dependencies.Where(d => !itemIds.Contains(d.RoadmapItemId)));
        var comments = await db.Comments
            .Where(c => (c.TargetType == CommentTarget.Objective && objectiveIds.Contains(c.TargetId))
                || (c.TargetType == CommentTarget.KeyResult && keyResultIds.Contains(c.TargetId))
                || (c.TargetType == CommentTarget.RoadmapItem && itemIds.Contains(c.TargetId)))
            .ToListAsync(cancellationToken);
        db.Comments.RemoveRange(comments);

        var purged = objectives.ToDictionary(o => o.Id);
        var children = await all.Where(o => o.ParentObjectiveId != null && objectiveIds.Contains(o.ParentObjectiveId.Value) && !objectiveIds.Contains(o.Id))
            .ToListAsync(cancellationToken);
        foreach (var child in children)
        {
            child.ReplaceParent(child.ParentObjectiveId!.Value, AlignmentAbove(child, purged).GoalId, AlignmentAbove(child, purged).ParentId);
        }

        db.Objectives.RemoveRange(objectives);
        db.RoadmapItems.RemoveRange(items);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PurgeResult(objectives.Count, items.Count);
    }

    /// <summary>The first alignment above <paramref name="child"/> that does not go with the purge.</summary>
    private static (int? GoalId, int? ParentId) AlignmentAbove(Objective child, Dictionary<int, Objective> purged)
    {
        var parent = purged[child.ParentObjectiveId!.Value];
        var seen = new HashSet<int>();
        while (parent.ParentObjectiveId is { } up && purged.TryGetValue(up, out var next) && seen.Add(up))
        {
            parent = next;
        }

        return (parent.GoalId, parent.GoalId is null ? parent.ParentObjectiveId : null);
    }
}

/// <summary>
/// Once a day (<see cref="DailyJob"/>), purges what has been in "Recently deleted" for more than 30 days; a second
/// instance finding the rows gone is not an error.
/// </summary>
public sealed class DeletedPurgeJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DeletedPurgeJob> logger) : DailyJob(clock, logger)
{
    protected override TimeSpan FirstRunDelay => TimeSpan.FromMinutes(40);

    protected override string Name => "Deleted purge";

    public async Task<PurgeResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        try
        {
            var result = await DeletedPurge.RunAsync(db, Clock.GetUtcNow(), cancellationToken);
            Logger.LogInformation("Deleted purge: removed {Objectives} objectives and {Items} roadmap items deleted more than {Days} days ago",
                result.Objectives, result.Items, Deletion.RestoreDays);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance purged (or someone restored) the same rows first: nothing was changed here; tomorrow's run sees the rest.
            Logger.LogInformation("Deleted purge: the rows changed meanwhile (another instance, or a restore); nothing removed in this run");
            return PurgeResult.None;
        }
    }

    protected override Task RunScheduledAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);
}

public static class DeletedRegistration
{
    public static IServiceCollection AddDeletedPurge(this IServiceCollection services)
    {
        services.AddSingleton<DeletedPurgeJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DeletedPurgeJob>());
        return services;
    }
}
