using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.Shared;
using FluentValidation;
using Mediator;

namespace AlignmentHub.Web.Features.RoadmapItems;

/// <summary>The fields of the item form, shared by create and edit. Bound from the form with an allow-list.</summary>
public abstract class ItemForm
{
    /// <summary>From the address (create) or the stored item (edit); never from the form.</summary>
    public int ProductId { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public RoadmapItemKind? Kind { get; set; } = RoadmapItemKind.Feature;

    public int? TeamId { get; set; }

    public string? OwnerId { get; set; }

    public RoadmapItemStatus? Status { get; set; } = RoadmapItemStatus.Idea;

    public RoadmapHorizon? Horizon { get; set; }

    /// <summary>"2027-Q1"; or give <see cref="StartDate"/> and <see cref="EndDate"/> instead.</summary>
    public string? TargetPeriodKey { get; set; }

    public DateOnly? StartDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public decimal? Effort { get; set; }

    public int? RiceReach { get; set; }

    public decimal? RiceImpact { get; set; }

    public int? RiceConfidence { get; set; }

    public string? ExternalKey { get; set; }

    /// <summary>The quarter as the domain wants it: trimmed and upper case, or null.</summary>
    public string? NormalisedPeriodKey => string.IsNullOrWhiteSpace(TargetPeriodKey) ? null : TargetPeriodKey.Trim().ToUpperInvariant();
}

public sealed class CreateItemCommand : ItemForm, ICommand<int>
{
    /// <summary>Optional first link, "goal:3" / "objective:5" / "kr:12" (the shared picker's values).</summary>
    public string? Why { get; set; }
}

public sealed class EditItemCommand : ItemForm, ICommand<int>
{
    public int ItemId { get; set; }

    public long Version { get; set; }
}

internal static class ItemFormRules
{
    public const string QuarterFormatMessage = "Enter the target quarter as YYYY-Qn, for example 2027-Q1.";

    public static void Apply<T>(AbstractValidator<T> v)
        where T : ItemForm
    {
        v.RuleFor(c => c.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Give the item a title.")
            .Must(t => t!.Trim().Length <= Limits.Title).WithMessage($"The title must be at most {Limits.Title} characters.")
            .Must(NoControlCharacters).WithMessage("The title contains a character that is not allowed.");
        v.RuleFor(c => c.Description)
            .MaximumLength(Limits.LongText).WithMessage($"The description must be at most {Limits.LongText:N0} characters.")
            .Must(NoNul).WithMessage("The description contains a character that is not allowed.");
        v.RuleFor(c => c.Kind).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a kind.")
            .IsInEnum().WithMessage("Choose a kind from the list.");
        v.RuleFor(c => c.TeamId).NotNull().WithMessage("Choose a team.");
        v.RuleFor(c => c.OwnerId)
            .MaximumLength(Limits.UserId).WithMessage("Choose an owner from the list.")
            .Must(NoControlCharacters).WithMessage("Choose an owner from the list.");
        v.RuleFor(c => c.Status).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a status.")
            .IsInEnum().WithMessage("Choose a status from the list.");
        v.RuleFor(c => c.Horizon).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a horizon: Now, Next or Later.")
            .IsInEnum().WithMessage("Choose a horizon from the list.");
        v.RuleFor(c => c.TargetPeriodKey)
            .Must(k => k is null || k.Length <= 20 && Period.TryParseKey(k.Trim().ToUpperInvariant(), out _, out _))
            .When(c => !string.IsNullOrWhiteSpace(c.TargetPeriodKey))
            .WithMessage(QuarterFormatMessage);
        v.RuleFor(c => c.TargetPeriodKey)
            .Must(_ => false).When(c => !string.IsNullOrWhiteSpace(c.TargetPeriodKey) && (c.StartDate.HasValue || c.EndDate.HasValue))
            .WithMessage("Give a target quarter or start and end dates, not both.");
        v.RuleFor(c => c.StartDate)
            .NotNull().When(c => c.EndDate.HasValue).WithMessage("Give a start date too, or clear the end date.")
            .Must(InRange).WithMessage("Enter a date between the years 2000 and 2100.");
        v.RuleFor(c => c.EndDate)
            .NotNull().When(c => c.StartDate.HasValue).WithMessage("Give an end date too, or clear the start date.")
            .Must(InRange).WithMessage("Enter a date between the years 2000 and 2100.")
            .Must((c, end) => !(c.StartDate > end)).WithMessage("The end date must not be before the start date.");
        v.RuleFor(c => c.Effort).Cascade(CascadeMode.Stop)
            .Must(e => e is null or > 0m and <= 10_000m).WithMessage("Effort must be above 0 and at most 10,000 pts.")
            .Must(e => e is null || decimal.Round(e.Value, 2) == e).WithMessage("Give the effort with at most two decimals, for example 2.5 pts.");
        v.RuleFor(c => c.RiceReach)
            .InclusiveBetween(0, 100_000_000).WithMessage("Reach must be a whole number from 0 to 100,000,000 (people or events per quarter).");
        v.RuleFor(c => c.RiceImpact)
            .Must(i => i is null || ItemText.ImpactScale.Any(s => s.Value == i)).WithMessage("Impact must be 0.25, 0.5, 1, 2 or 3.");
        v.RuleFor(c => c.RiceConfidence)
            .InclusiveBetween(0, 100).WithMessage("Confidence must be a whole number from 0 to 100 %.");
        v.RuleFor(c => c.ExternalKey)
            .MaximumLength(50).WithMessage("The tracker key must be at most 50 characters.")
            .Must(NoControlCharacters).WithMessage("The tracker key contains a character that is not allowed.");
    }

    public static bool NoNul(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    public static bool NoControlCharacters(string? text) => text is null || !text.Any(char.IsControl);

    private static bool InRange(DateOnly? date) => date is null || date.Value.Year is >= 2000 and <= 2100;
}

public sealed class CreateItemValidator : AbstractValidator<CreateItemCommand>
{
    public CreateItemValidator()
    {
        ItemFormRules.Apply(this);
        RuleFor(c => c.Why)
            .Must(w => LinkTargets.TryParse(w, out _, out _)).When(c => !string.IsNullOrEmpty(c.Why))
            .WithMessage("Choose a goal, objective or key result from the list, or leave it empty.");
    }
}

public sealed class EditItemValidator : AbstractValidator<EditItemCommand>
{
    public EditItemValidator() => ItemFormRules.Apply(this);
}
