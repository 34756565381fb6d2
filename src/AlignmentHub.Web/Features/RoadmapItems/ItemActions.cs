using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.Shared;
using FluentValidation;
using Mediator;

namespace AlignmentHub.Web.Features.RoadmapItems;

/// <summary>What the item page's small forms report back: the flash message to show.</summary>
public sealed record ItemActionResult(int ItemId, string Message);

/// <summary>A change made from the item page: it ends on that page, or shows it again when refused.</summary>
public interface IItemPageCommand : ICommand<ItemActionResult>
{
    int ItemId { get; }
}

public sealed class ChangeItemStatusCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public RoadmapItemStatus? Status { get; set; }

    public long Version { get; set; }
}

public sealed class ArchiveItemCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public long Version { get; set; }
}

public sealed class RestoreItemCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public long Version { get; set; }
}

public sealed class AddItemLinkCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    /// <summary>"goal:3", "objective:5" or "kr:12".</summary>
    public string? Target { get; set; }
}

public sealed class RemoveItemLinkCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public int LinkId { get; set; }
}

public sealed class AddItemDependencyCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public int? BlockerId { get; set; }
}

public sealed class RemoveItemDependencyCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public int DependencyId { get; set; }
}

public sealed class AddItemEvidenceCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public string? EvidenceText { get; set; }

    public string? EvidenceLink { get; set; }

    public int? Importance { get; set; } = 2;
}

public sealed class RemoveItemEvidenceCommand : IItemPageCommand
{
    public int ItemId { get; set; }

    public int EvidenceId { get; set; }
}

public sealed class ChangeItemStatusValidator : AbstractValidator<ChangeItemStatusCommand>
{
    public ChangeItemStatusValidator() => RuleFor(c => c.Status).Cascade(CascadeMode.Stop)
        .NotNull().WithMessage("Choose a status.")
        .IsInEnum().WithMessage("Choose a status from the list.");
}

public sealed class AddItemLinkValidator : AbstractValidator<AddItemLinkCommand>
{
    public AddItemLinkValidator() => RuleFor(c => c.Target)
        .Must(t => LinkTargets.TryParse(t, out _, out _))
        .WithMessage("Choose a goal, objective or key result from the list.");
}

public sealed class AddItemDependencyValidator : AbstractValidator<AddItemDependencyCommand>
{
    public AddItemDependencyValidator() => RuleFor(c => c.BlockerId)
        .NotNull().WithMessage("Find the item this one waits for, then choose it.")
        .GreaterThan(0).WithMessage("Find the item this one waits for, then choose it.");
}

public sealed class AddItemEvidenceValidator : AbstractValidator<AddItemEvidenceCommand>
{
    public AddItemEvidenceValidator()
    {
        RuleFor(c => c.EvidenceText).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Say what the customer asked for or told you.")
            .Must(t => t!.Trim().Length <= Limits.LongText).WithMessage($"The evidence must be at most {Limits.LongText:N0} characters.")
            .Must(ItemFormRules.NoNul).WithMessage("The evidence contains a character that is not allowed.");
        RuleFor(c => c.EvidenceLink).Cascade(CascadeMode.Stop)
            .Must(l => l!.Trim().Length <= Limits.Url).WithMessage($"The link must be at most {Limits.Url:N0} characters.")
            .Must(IsWebAddress).WithMessage("The link must be an http or https address, for example https://support.example.com/tickets/123.")
            .When(c => !string.IsNullOrWhiteSpace(c.EvidenceLink));
        RuleFor(c => c.Importance).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose how important this is.")
            .InclusiveBetween(1, 3).WithMessage("Choose how important this is: nice to have, important or critical.");
    }

    /// <summary>Only http and https: a javascript: or data: address would run in the reader's browser.</summary>
    public static bool IsWebAddress(string? link) =>
        Uri.TryCreate(link?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !link!.Any(char.IsControl);
}
