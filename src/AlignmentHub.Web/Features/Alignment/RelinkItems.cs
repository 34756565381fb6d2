using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Alignment;

/// <summary>
/// The orphan queue's bulk re-link: link the ticked items (or every editable item shown, without JavaScript) to one
/// goal, objective or key result of the product.
/// </summary>
public sealed class RelinkItemsCommand : ICommand<RelinkResult>
{
    public const int MaxItems = 200;

    public int ProductId { get; set; }

    /// <summary>The ticked rows.</summary>
    public List<int> ItemIds { get; set; } = [];

    /// <summary>The rows of the page shown that the user may edit: what "Link all shown" links.</summary>
    public List<int> ShownIds { get; set; } = [];

    /// <summary>Set by the "Link all shown" button.</summary>
    public bool All { get; set; }

    /// <summary>"goal:3", "objective:5" or "kr:12" (the shared picker's values).</summary>
    public string? Target { get; set; }

    /// <summary>The queue's team filter and page, to come back to the same view; not used by the handler.</summary>
    public string? Team { get; set; }

    public string? Page { get; set; }

    public IReadOnlyList<int> Selected => (All ? ShownIds : ItemIds).Distinct().ToList();
}

/// <summary>What was linked, and what was skipped because it already had that link.</summary>
public sealed record RelinkResult(int Linked, int AlreadyLinked, string Target)
{
    public string Message => Linked > 0
        ? $"Linked {AlignmentText.Count(Linked, "item")} to {Target}." + (AlreadyLinked > 0 ? $" {AlreadyLinked} {(AlreadyLinked == 1 ? "was" : "were")} already linked." : string.Empty)
        : $"Nothing to link: {(AlreadyLinked == 1 ? "the item was" : $"all {AlreadyLinked} items were")} already linked to {Target}.";
}

public sealed class RelinkItemsValidator : AbstractValidator<RelinkItemsCommand>
{
    public const string NoItemMessage = "Tick at least one item to link.";
    public const string NoTargetMessage = "Choose the goal, objective or key result to link the items to.";

    public RelinkItemsValidator()
    {
        RuleFor(c => c.Selected).Cascade(CascadeMode.Stop)
            .Must((c, selected) => selected.Count > 0).WithMessage(c => c.All ? "There is no item on this page that you can link." : NoItemMessage)
            .Must(selected => selected.Count <= RelinkItemsCommand.MaxItems).WithMessage($"Link at most {RelinkItemsCommand.MaxItems} items at once.")
            .OverridePropertyName(nameof(RelinkItemsCommand.ItemIds));
        RuleFor(c => c.Target).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(NoTargetMessage)
            .Must(t => LinkTargets.TryParse(t, out _, out _)).WithMessage("Choose a goal, objective or key result from the list.");
    }
}

/// <summary>
/// All or nothing: every item must exist in the product and be editable by the user (else 403, nothing changed), and
/// the target must be active in the product; then every new link is saved in one SaveChanges (one transaction, one
/// audit row per link). Items that already have the link are skipped and counted.
/// </summary>
public sealed class RelinkItemsHandler(AppDbContext db, AlignmentGraphLoader loader, RoadmapAccess access) : ICommandHandler<RelinkItemsCommand, RelinkResult>
{
    public async ValueTask<RelinkResult> Handle(RelinkItemsCommand command, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(command.ProductId, cancellationToken);
        if (!access.MayEditSomeItems)
        {
            throw new ForbiddenException("Executives can read the alignment page but not change links.");
        }

        var ids = command.Selected;
        var items = await db.RoadmapItems.Include(i => i.Links)
            .Where(i => ids.Contains(i.Id) && i.ProductId == command.ProductId)
            .ToListAsync(cancellationToken);

        // Permission comes before any other complaint: one refused item refuses the whole request.
        foreach (var item in items)
        {
            if (!await access.CanEditItemAsync(command.ProductId, item.TeamId, cancellationToken))
            {
                throw new ForbiddenException($"You can only link your own team's items. “{item.Title}” belongs to another team: nothing was linked.");
            }
        }

        var failures = new List<ValidationFailure>();
        var missing = ids.Count - items.Count;
        if (missing > 0)
        {
            failures.Add(new ValidationFailure(nameof(RelinkItemsCommand.ItemIds),
                $"{(missing == 1 ? "One of the ticked items is" : $"{missing} of the ticked items are")} not on {productName}’s roadmap (any more). Nothing was linked: reload the page and tick the items again."));
        }

        var graph = await loader.LoadAsync(command.ProductId, cancellationToken);
        if (!LinkTargets.TryParse(command.Target, out var type, out var targetId) || !LinkTargets.IsValidTarget(graph, type, targetId))
        {
            failures.Add(new ValidationFailure(nameof(RelinkItemsCommand.Target),
                $"Choose a goal, objective or key result from the list: this one does not serve an active goal of {productName} (it may have been retired or closed)."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        var linked = 0;
        foreach (var item in items.Where(i => !i.Links.Any(l => l.TargetType == type && l.TargetId == targetId)))
        {
            item.LinkTo(type, targetId);
            linked++;
        }

        if (linked > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Most likely the unique index on (item, target): someone linked the same item at the same moment.
                // The save and its audit rows are one transaction, so nothing of it was kept.
                db.ChangeTracker.Clear();
                throw new DomainException("The links could not be saved: someone may have linked some of these items at the same moment. Nothing was linked: reload the page and try again.");
            }
        }

        return new RelinkResult(linked, items.Count - linked, AlignmentText.Target(graph, type, targetId));
    }
}
