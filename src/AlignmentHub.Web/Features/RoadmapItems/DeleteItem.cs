using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Roadmap;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;

namespace AlignmentHub.Web.Features.RoadmapItems;

/// <summary>Deletes a roadmap item: it leaves every page, and "Recently deleted" keeps it restorable for 30 days.</summary>
public sealed class DeleteItemCommand : ICommand<DeleteItemResult>
{
    public int ItemId { get; set; }

    public long Version { get; set; }
}

/// <summary>The flash message, and the board of the item's product (its own page is gone).</summary>
public sealed record DeleteItemResult(string Message, string RedirectUrl);

public sealed class DeleteItemHandler(AppDbContext db, RoadmapAccess access, ICurrentUser user, TimeProvider clock) : ICommandHandler<DeleteItemCommand, DeleteItemResult>
{
    public async ValueTask<DeleteItemResult> Handle(DeleteItemCommand command, CancellationToken cancellationToken)
    {
        // A deleted item is not found (query filter): deleting twice is a 404, never a second delete.
        var item = await db.LoadItemForChangeAsync(access, command.ItemId, q => q, cancellationToken);
        if (item.Version != command.Version)
        {
            throw await db.ItemConflictAsync(item, cancellationToken);
        }

        db.ExpectVersion(item, command.Version);
        item.Delete(clock.GetUtcNow(), user.Id);
        await db.SaveItemAsync(item, cancellationToken);
        return new DeleteItemResult(
            $"“{item.Title}” deleted. You can restore it from Recently deleted for {Domain.Common.Deletion.RestoreDays} days.",
            RoadmapUrls.Board(item.ProductId, null, false));
    }
}
