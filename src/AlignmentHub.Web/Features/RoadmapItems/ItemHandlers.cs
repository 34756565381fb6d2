using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.RoadmapItems;

public sealed class CreateItemHandler(AppDbContext db, RoadmapAccess access, AlignmentGraphLoader graphs, TimeProvider clock) : ICommandHandler<CreateItemCommand, int>
{
    public async ValueTask<int> Handle(CreateItemCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Products.AnyAsync(p => p.Id == command.ProductId, cancellationToken))
        {
            throw new NotFoundException("The product");
        }

        var teamId = command.TeamId!.Value;
        await db.EnsureTeamChoiceAsync(teamId, cancellationToken);
        await access.EnsureCanEditItemAsync(command.ProductId, teamId, cancellationToken);
        await db.EnsureOwnerChoiceAsync(command.OwnerId, teamId, current: null, cancellationToken);

        (LinkTargetType Type, int Id)? why = null;
        if (LinkTargets.TryParse(command.Why, out var type, out var targetId))
        {
            var graph = await graphs.LoadAsync(command.ProductId, cancellationToken);
            if (!LinkTargets.IsValidTarget(graph, type, targetId))
            {
                throw new DomainException("This goal, objective or key result cannot be linked (it is no longer active, or belongs to another product): choose another from the list.", nameof(CreateItemCommand.Why));
            }

            why = (type, targetId);
        }

        var now = clock.GetUtcNow();
        var horizon = command.Horizon!.Value;
        var item = new RoadmapItem(command.ProductId, teamId, command.Title!, command.Kind!.Value, horizon, now);
        item.Edit(command.Title!, command.Description, command.Kind!.Value, teamId, command.OwnerId, command.ExternalKey);
        item.Schedule(horizon, command.NormalisedPeriodKey, command.StartDate, command.EndDate);
        item.Estimate(command.Effort, command.RiceReach, command.RiceImpact, command.RiceConfidence);
        item.ChangeStatus(command.Status!.Value, now);

        // A new item goes to the bottom of its column on the board.
        var last = await db.RoadmapItems.Where(i => i.ProductId == command.ProductId && i.Horizon == horizon)
            .MaxAsync(i => (int?)i.BoardPosition, cancellationToken) ?? 0;
        item.MoveOnBoard(horizon, last + 10);

        // The item needs its key before it can be linked: two saves, one transaction (and each audited with real keys).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RoadmapItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        if (why is { } w)
        {
            item.LinkTo(w.Type, w.Id);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return item.Id;
    }
}

public sealed class EditItemHandler(AppDbContext db, RoadmapAccess access, TimeProvider clock) : ICommandHandler<EditItemCommand, int>
{
    public async ValueTask<int> Handle(EditItemCommand command, CancellationToken cancellationToken)
    {
        var item = await db.RoadmapItems.SingleOrDefaultAsync(i => i.Id == command.ItemId, cancellationToken) ?? throw new NotFoundException("The roadmap item");
        await access.EnsureCanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);
        var teamId = command.TeamId!.Value;
        if (teamId != item.TeamId)
        {
            // Handing the item to another team needs the right to edit that team's items too.
            await db.EnsureTeamChoiceAsync(teamId, cancellationToken);
            await access.EnsureCanEditItemAsync(item.ProductId, teamId, cancellationToken);
        }

        ItemChanges.EnsureNotArchived(item, "edited");
        if (item.Version != command.Version)
        {
            throw await db.ItemConflictAsync(item, cancellationToken);
        }

        db.ExpectVersion(item, command.Version);
        await db.EnsureOwnerChoiceAsync(command.OwnerId, teamId, item.TeamId == teamId ? item.OwnerId : null, cancellationToken);
        item.Edit(command.Title!, command.Description, command.Kind!.Value, teamId, command.OwnerId, command.ExternalKey);
        item.Schedule(command.Horizon!.Value, command.NormalisedPeriodKey, command.StartDate, command.EndDate);
        item.Estimate(command.Effort, command.RiceReach, command.RiceImpact, command.RiceConfidence);
        if (item.Status != command.Status)
        {
            item.ChangeStatus(command.Status!.Value, clock.GetUtcNow());
        }

        await db.SaveItemAsync(item, cancellationToken);
        return item.Id;
    }
}

public sealed class ChangeItemStatusHandler(AppDbContext db, RoadmapAccess access, TimeProvider clock) : ICommandHandler<ChangeItemStatusCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(ChangeItemStatusCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q, cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        var status = command.Status!.Value;
        if (item.Version != command.Version)
        {
            throw await db.ItemConflictAsync(item, cancellationToken);
        }

        if (item.Status == status)
        {
            return new ItemActionResult(item.Id, $"The status already was “{ItemText.Status(status)}”.");
        }

        db.ExpectVersion(item, command.Version);
        item.ChangeStatus(status, clock.GetUtcNow());
        await db.SaveItemAsync(item, cancellationToken);
        return new ItemActionResult(item.Id, $"Status changed to “{ItemText.Status(status)}”."
            + (status == RoadmapItemStatus.Dropped ? " A dropped item no longer counts for alignment." : string.Empty));
    }
}

public sealed class ArchiveItemHandler(AppDbContext db, RoadmapAccess access, TimeProvider clock) : ICommandHandler<ArchiveItemCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(ArchiveItemCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q, cancellationToken);
        if (item.ArchivedAt is not null)
        {
            return new ItemActionResult(item.Id, $"“{item.Title}” was already archived.");
        }

        if (item.Version != command.Version)
        {
            throw await db.ItemConflictAsync(item, cancellationToken);
        }

        db.ExpectVersion(item, command.Version);
        item.Archive(clock.GetUtcNow());
        await db.SaveItemAsync(item, cancellationToken);
        return new ItemActionResult(item.Id, $"“{item.Title}” archived: it left the board and no longer counts for alignment. Restore it here at any time.");
    }
}

public sealed class RestoreItemHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<RestoreItemCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(RestoreItemCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q, cancellationToken);
        if (item.ArchivedAt is null)
        {
            return new ItemActionResult(item.Id, $"“{item.Title}” is not archived.");
        }

        if (item.Version != command.Version)
        {
            throw await db.ItemConflictAsync(item, cancellationToken);
        }

        db.ExpectVersion(item, command.Version);
        item.Restore();
        await db.SaveItemAsync(item, cancellationToken);
        return new ItemActionResult(item.Id, $"“{item.Title}” restored.");
    }
}

public sealed class AddItemLinkHandler(AppDbContext db, RoadmapAccess access, AlignmentGraphLoader graphs) : ICommandHandler<AddItemLinkCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(AddItemLinkCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q.Include(i => i.Links), cancellationToken);
        ItemChanges.EnsureNotArchived(item, "linked");
        _ = LinkTargets.TryParse(command.Target, out var type, out var targetId);
        var graph = await graphs.LoadAsync(item.ProductId, cancellationToken);
        if (item.Links.Any(l => l.TargetType == type && l.TargetId == targetId))
        {
            throw new DomainException("The item is already linked to this. Choose another goal, objective or key result.", nameof(AddItemLinkCommand.Target));
        }

        if (!LinkTargets.IsValidTarget(graph, type, targetId))
        {
            throw new DomainException("This goal, objective or key result cannot be linked (it is no longer active, or belongs to another product): choose another from the list.", nameof(AddItemLinkCommand.Target));
        }

        ItemChanges.OnField(nameof(AddItemLinkCommand.Target), () => item.LinkTo(type, targetId));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index caught a second tab adding the same link at the same moment.
            db.ChangeTracker.Clear();
            throw new DomainException("The item is already linked to this.", nameof(AddItemLinkCommand.Target));
        }

        var name = type switch
        {
            LinkTargetType.Goal => $"goal “{graph.Goal(targetId)?.Title}”",
            LinkTargetType.Objective => $"objective “{graph.Objective(targetId)?.Title}”",
            _ => $"key result “{graph.KeyResult(targetId)?.Title}”",
        };
        return new ItemActionResult(item.Id, $"Linked to {name}.");
    }
}

public sealed class RemoveItemLinkHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<RemoveItemLinkCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(RemoveItemLinkCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q.Include(i => i.Links), cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        var link = item.Links.SingleOrDefault(l => l.Id == command.LinkId);
        if (link is null)
        {
            return new ItemActionResult(item.Id, "That link had already been removed.");
        }

        item.Unlink(link);
        await db.SaveRemovalAsync(cancellationToken);
        return new ItemActionResult(item.Id, item.Links.Count == 0
            ? "Link removed. The item has no why now: link it to a goal, objective or key result."
            : "Link removed.");
    }
}

public sealed class AddItemDependencyHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<AddItemDependencyCommand, ItemActionResult>
{
    private const string Field = nameof(AddItemDependencyCommand.BlockerId);

    public async ValueTask<ItemActionResult> Handle(AddItemDependencyCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q.Include(i => i.Dependencies), cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        var blockerId = command.BlockerId!.Value;
        var blocker = await db.RoadmapItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == blockerId && i.ProductId == item.ProductId, cancellationToken)
            ?? throw new DomainException("There is no such item on this product's roadmap. Search again and choose one from the results.", Field);
        if (!blocker.IsActive)
        {
            throw new DomainException($"“{blocker.Title}” is {(blocker.ArchivedAt is null ? "dropped" : "archived")}: an item can only wait for an active one.", Field);
        }

        // The product's dependencies in one read, so the domain can look for a cycle through any chain of items.
        var productId = item.ProductId;
        var dependsOn = (await db.ItemDependencies.AsNoTracking()
                .Where(d => db.RoadmapItems.Any(i => i.Id == d.RoadmapItemId && i.ProductId == productId))
                .Select(d => new { d.RoadmapItemId, d.BlockerId })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.RoadmapItemId, d => d.BlockerId);
        ItemChanges.OnField(Field, () => item.DependOn(blocker, id => dependsOn[id]));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("This dependency already exists.", Field);
        }

        return new ItemActionResult(item.Id, $"“{item.Title}” is now blocked by “{blocker.Title}”.");
    }
}

public sealed class RemoveItemDependencyHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<RemoveItemDependencyCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(RemoveItemDependencyCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q.Include(i => i.Dependencies), cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        var dependency = item.Dependencies.SingleOrDefault(d => d.Id == command.DependencyId);
        if (dependency is null)
        {
            return new ItemActionResult(item.Id, "That dependency had already been removed.");
        }

        item.RemoveDependency(dependency);
        await db.SaveRemovalAsync(cancellationToken);
        return new ItemActionResult(item.Id, "Dependency removed.");
    }
}

public sealed class AddItemEvidenceHandler(AppDbContext db, RoadmapAccess access, TimeProvider clock) : ICommandHandler<AddItemEvidenceCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(AddItemEvidenceCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q, cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        try
        {
            item.AddEvidence(command.EvidenceText!, string.IsNullOrWhiteSpace(command.EvidenceLink) ? null : command.EvidenceLink.Trim(), command.Importance!.Value, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            // The domain names its own fields; the form's are prefixed so they cannot clash with the item's.
            throw new DomainException(ex.Message, ex.Field switch
            {
                "Text" => nameof(AddItemEvidenceCommand.EvidenceText),
                "Link" => nameof(AddItemEvidenceCommand.EvidenceLink),
                var other => other,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ItemActionResult(item.Id, "Customer evidence added.");
    }
}

public sealed class RemoveItemEvidenceHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<RemoveItemEvidenceCommand, ItemActionResult>
{
    public async ValueTask<ItemActionResult> Handle(RemoveItemEvidenceCommand command, CancellationToken cancellationToken)
    {
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q.Include(i => i.Evidence), cancellationToken);
        ItemChanges.EnsureNotArchived(item, "changed");
        var evidence = item.Evidence.SingleOrDefault(e => e.Id == command.EvidenceId);
        if (evidence is null)
        {
            return new ItemActionResult(item.Id, "That evidence had already been removed.");
        }

        item.RemoveEvidence(evidence);
        await db.SaveRemovalAsync(cancellationToken);
        return new ItemActionResult(item.Id, "Customer evidence removed.");
    }
}

/// <summary>What every change of an item shares: loading with the permission check, choices checked against the database, saving.</summary>
internal static class ItemChanges
{
    /// <summary>The tracked item, after 404 (unknown id) and 403 (not the user's to change) checks.</summary>
    public static async Task<RoadmapItem> LoadItemForChangeAsync(this AppDbContext db, RoadmapAccess access, int itemId,
        Func<IQueryable<RoadmapItem>, IQueryable<RoadmapItem>> include, CancellationToken cancellationToken)
    {
        var item = await include(db.RoadmapItems).SingleOrDefaultAsync(i => i.Id == itemId, cancellationToken)
            ?? throw new NotFoundException("The roadmap item");
        await access.EnsureCanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);
        return item;
    }

    public static void EnsureNotArchived(RoadmapItem item, string what)
    {
        if (item.ArchivedAt is not null)
        {
            throw new DomainException($"This item is archived, so it cannot be {what}. Restore it first.");
        }
    }

    /// <summary>Runs a domain call whose rule belongs beside one form field.</summary>
    public static void OnField(string field, Action action)
    {
        try
        {
            action();
        }
        catch (DomainException ex) when (ex.Field != field)
        {
            throw new DomainException(ex.Message, field);
        }
    }

    public static async Task EnsureTeamChoiceAsync(this AppDbContext db, int teamId, CancellationToken cancellationToken)
    {
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            throw new DomainException("Choose a team from the list.", nameof(ItemForm.TeamId));
        }
    }

    /// <summary>
    /// A newly chosen owner must be an enabled member of the item's team. The current owner may stay while the team
    /// is unchanged, even after leaving it (an edit of the title should not force a new owner).
    /// </summary>
    public static async Task EnsureOwnerChoiceAsync(this AppDbContext db, string? ownerId, int teamId, string? current, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ownerId) || ownerId == current)
        {
            return;
        }

        var isMember = await db.TeamMemberships.AnyAsync(m => m.TeamId == teamId && m.UserId == ownerId
            && db.Users.Any(u => u.Id == ownerId && !u.IsDisabled), cancellationToken);
        if (!isMember)
        {
            throw new DomainException("Choose an owner who is a member of the item's team.", nameof(ItemForm.OwnerId));
        }
    }

    /// <summary>Saves a change of the item row; a save that lost the race to another one is reported as a conflict.</summary>
    public static async Task SaveItemAsync(this AppDbContext db, RoadmapItem item, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await db.RoadmapItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == item.Id, cancellationToken)
                ?? throw new NotFoundException("The roadmap item");
            throw await db.ItemConflictAsync(fresh, cancellationToken);
        }
    }

    /// <summary>Saves the removal of a link, dependency or evidence; removed meanwhile by someone else is not an error.</summary>
    public static async Task SaveRemovalAsync(this AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The conflict shown to the second editor: who saved last, when, and the item as stored now.</summary>
    public static async Task<ConcurrencyConflictException> ItemConflictAsync(this AppDbContext db, RoadmapItem stored, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == stored.TeamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken);
        var owner = stored.OwnerId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == stored.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
        var values = new Dictionary<string, string?>
        {
            ["Title"] = stored.Title,
            ["Description"] = stored.Description,
            ["Kind"] = ItemText.Kind(stored.Kind),
            ["Team"] = team,
            ["Owner"] = owner,
            ["Status"] = ItemText.Status(stored.Status) + (stored.ArchivedAt is null ? string.Empty : " (archived)"),
            ["Horizon"] = ItemText.Horizon(stored.Horizon),
            ["Schedule"] = ItemText.Schedule(stored.TargetPeriodKey, stored.StartDate, stored.EndDate),
            ["Effort"] = ItemText.Points(stored.Effort),
            ["RICE reach"] = stored.RiceReach?.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
            ["RICE impact"] = stored.RiceImpact is { } i ? ItemText.Impact(i) : null,
            ["RICE confidence"] = stored.RiceConfidence is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) + " %" : null,
            ["Tracker key"] = stored.ExternalKey,
        };
        return await db.ConflictAsync(nameof(RoadmapItem), stored.Id, stored.Version, values, cancellationToken);
    }
}
