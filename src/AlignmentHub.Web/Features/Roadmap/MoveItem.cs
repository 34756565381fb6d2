using System.Globalization;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>
/// Moves a card on the board: into <see cref="Horizon"/>, just before <see cref="BeforeItemId"/> (null = at the end of
/// the column). <see cref="Version"/> is the item's version when the board was shown.
/// </summary>
public sealed class MoveRoadmapItemCommand : ICommand<MoveResult>
{
    public int ItemId { get; set; }

    public RoadmapHorizon? Horizon { get; set; }

    public int? BeforeItemId { get; set; }

    public long? Version { get; set; }
}

/// <param name="Moved">False when the card already was exactly there (nothing saved).</param>
public sealed record MoveResult(int ItemId, string Title, RoadmapHorizon Horizon, string? BeforeTitle, bool Moved, bool Renumbered)
{
    public string Message => !Moved
        ? $"“{Title}” is already there."
        : BeforeTitle is null
            ? $"“{Title}” moved to the end of {Horizon}."
            : $"“{Title}” moved to {Horizon}, before “{BeforeTitle}”.";
}

/// <summary>The board the user saw is out of date: nothing was changed, and the message says what happened.</summary>
public sealed class BoardChangedException(string message) : Exception(message);

/// <summary>Who may move an item, asked before the form is read: unknown → 404, not allowed → 403.</summary>
public sealed record EnsureCanMoveQuery(int ItemId) : IQuery<bool>;

public sealed class EnsureCanMoveHandler(AppDbContext db, RoadmapAccess access) : IQueryHandler<EnsureCanMoveQuery, bool>
{
    public async ValueTask<bool> Handle(EnsureCanMoveQuery query, CancellationToken cancellationToken)
    {
        var item = await db.RoadmapItems.AsNoTracking().Where(i => i.Id == query.ItemId).Select(i => new { i.ProductId, i.TeamId })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The roadmap item");
        await access.EnsureCanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);
        return true;
    }
}

public sealed class MoveRoadmapItemValidator : AbstractValidator<MoveRoadmapItemCommand>
{
    public const string HorizonMessage = "Choose Now, Next or Later.";
    public const string VersionMessage = "This board is out of date. Reload it and try again.";

    public MoveRoadmapItemValidator()
    {
        RuleFor(c => c.Horizon).Cascade(CascadeMode.Stop).NotNull().WithMessage(HorizonMessage).IsInEnum().WithMessage(HorizonMessage);
        RuleFor(c => c.Version).NotNull().WithMessage(VersionMessage).GreaterThanOrEqualTo(0).WithMessage(VersionMessage);
        RuleFor(c => c.BeforeItemId).GreaterThan(0).WithMessage("Choose a card on the board to move it before.");
    }
}

/// <summary>
/// Positions are sparse integers (<see cref="Gap"/> apart when renumbered), so a move normally writes one row: the new
/// position lies halfway between its neighbours in the whole column (every team, shipped items included), not just in
/// the filtered view. Only when there is no integer left between them is the column renumbered, in the same save.
/// </summary>
public sealed class MoveRoadmapItemHandler(AppDbContext db, RoadmapAccess access) : ICommandHandler<MoveRoadmapItemCommand, MoveResult>
{
    public const int Gap = 1024;

    public async ValueTask<MoveResult> Handle(MoveRoadmapItemCommand command, CancellationToken cancellationToken)
    {
        var item = await db.RoadmapItems.SingleOrDefaultAsync(i => i.Id == command.ItemId, cancellationToken)
            ?? throw new NotFoundException("The roadmap item");
        await access.EnsureCanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);
        if (item.ArchivedAt is not null || item.Status == RoadmapItemStatus.Dropped)
        {
            throw new DomainException($"“{item.Title}” is {(item.ArchivedAt is not null ? "archived" : "dropped")}, so it is not on the board. Restore it on its page first.", nameof(command.Horizon));
        }

        if (item.Version != command.Version)
        {
            throw await StaleAsync(item.Id, item.Title, item.Version, cancellationToken);
        }

        var horizon = command.Horizon!.Value;
        var column = await ColumnAsync(item, horizon, cancellationToken);
        var index = column.Count;
        string? beforeTitle = null;
        if (command.BeforeItemId is { } beforeId)
        {
            if (beforeId == item.Id)
            {
                // Dropped just before itself: it stays where it is.
                return new MoveResult(item.Id, item.Title, item.Horizon, null, false, false);
            }

            index = column.FindIndex(s => s.Id == beforeId);
            if (index < 0)
            {
                throw new BoardChangedException(await BeforeGoneMessageAsync(beforeId, item.ProductId, horizon, cancellationToken));
            }

            beforeTitle = column[index].Title;
        }

        int? previous = index > 0 ? column[index - 1].Position : null;
        int? next = index < column.Count ? column[index].Position : null;
        if (item.Horizon == horizon && (previous is null || previous < item.BoardPosition) && (next is null || item.BoardPosition < next))
        {
            return new MoveResult(item.Id, item.Title, horizon, beforeTitle, false, false);
        }

        db.ExpectVersion(item, command.Version!.Value);
        var renumbered = false;
        if (Between(previous, next) is { } position)
        {
            item.MoveOnBoard(horizon, position);
        }
        else
        {
            // No room: renumber the whole column with the gap, the moved item in its new place, in one save.
            renumbered = true;
            var tracked = await db.RoadmapItems
                .Where(i => i.ProductId == item.ProductId && i.Horizon == horizon && i.Id != item.Id && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
                .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id)
                .ToListAsync(cancellationToken);
            var at = tracked.Count;
            if (command.BeforeItemId is { } b && (at = tracked.FindIndex(i => i.Id == b)) < 0)
            {
                throw new BoardChangedException(await BeforeGoneMessageAsync(b, item.ProductId, horizon, cancellationToken));
            }

            tracked.Insert(at, item);
            for (var k = 0; k < tracked.Count; k++)
            {
                tracked[k].MoveOnBoard(horizon, (k + 1) * Gap);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await db.RoadmapItems.AsNoTracking().Where(i => i.Id == item.Id).Select(i => new { i.Title, i.Version })
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The roadmap item");
            if (fresh.Version == command.Version)
            {
                // The item itself is as the user saw it: another card of the column changed during the renumbering.
                throw new BoardChangedException($"The {horizon} column changed while “{fresh.Title}” was being moved. Nothing was moved: the board now shows the current state; try again.");
            }

            throw await StaleAsync(item.Id, fresh.Title, fresh.Version, cancellationToken);
        }

        return new MoveResult(item.Id, item.Title, horizon, beforeTitle, true, renumbered);
    }

    /// <summary>A free position strictly between the neighbours (null = no neighbour on that side), or null when there is none.</summary>
    public static int? Between(int? previous, int? next)
    {
        long candidate = (previous, next) switch
        {
            (null, null) => Gap,
            (null, { } n) => (long)n - Gap,
            ({ } p, null) => (long)p + Gap,
            ({ } p, { } n) => n - (long)p >= 2 ? p + ((n - (long)p) / 2) : long.MinValue,
        };
        return candidate is >= int.MinValue and <= int.MaxValue ? (int)candidate : null;
    }

    private sealed record Slot(int Id, int Position, string Title);

    /// <summary>The whole column the item goes into, without the item: every team, shipped items included (they can be shown).</summary>
    private Task<List<Slot>> ColumnAsync(RoadmapItem item, RoadmapHorizon horizon, CancellationToken cancellationToken) =>
        db.RoadmapItems.AsNoTracking()
            .Where(i => i.ProductId == item.ProductId && i.Horizon == horizon && i.Id != item.Id && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => new Slot(i.Id, i.BoardPosition, i.Title)).ToListAsync(cancellationToken);

    private async Task<string> BeforeGoneMessageAsync(int beforeId, int productId, RoadmapHorizon horizon, CancellationToken cancellationToken)
    {
        var title = await db.RoadmapItems.AsNoTracking().Where(i => i.Id == beforeId && i.ProductId == productId).Select(i => i.Title).SingleOrDefaultAsync(cancellationToken);
        return title is null
            ? $"The card you placed it next to is no longer on the board. Nothing was moved: the board now shows the current state."
            : $"“{title}” is no longer in {horizon}. Nothing was moved: the board now shows the current state.";
    }

    private async Task<BoardChangedException> StaleAsync(int itemId, string title, long version, CancellationToken cancellationToken)
    {
        var conflict = await db.ConflictAsync(nameof(RoadmapItem), itemId, version, new Dictionary<string, string?>(), cancellationToken);
        var when = conflict.ChangedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" ({at.UtcDateTime:d MMM HH:mm} UTC)") : string.Empty;
        return new BoardChangedException(
            $"{conflict.ChangedBy} moved or changed “{title}” after you opened the board{when}. Nothing was moved: the board now shows where it is.");
    }
}
