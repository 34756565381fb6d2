using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using FluentValidation;
using Mediator;

namespace AlignmentHub.Web.Features.Objectives;

/// <summary>What an objective serves: a business goal or a parent objective (cascading).</summary>
public enum AlignmentKind
{
    Goal = 1,
    Parent = 2,
}

/// <summary>
/// One key-result row of the objective form, bound as <c>KeyResults[i].Title</c> etc. Rows of existing key results
/// carry their id (and the version they were opened at); rows without an id are new.
/// </summary>
public sealed class KeyResultRow
{
    public int? KeyResultId { get; set; }

    /// <summary>
    /// The key result's version when the form was opened. Concurrency is decided on the objective's version, which
    /// stands for the whole form: every check-in bumps a key result's own version, and a check-in is not an edit conflict.
    /// </summary>
    public long? Version { get; set; }

    public string? Title { get; set; }

    public string? MetricName { get; set; }

    public MetricType? MetricType { get; set; } = Domain.Okrs.MetricType.Number;

    public MetricDirection? Direction { get; set; } = MetricDirection.Increase;

    public decimal? Baseline { get; set; }

    public decimal? Target { get; set; }

    public decimal? BandLow { get; set; }

    public decimal? BandHigh { get; set; }

    public string? Unit { get; set; }

    public string? CurrencyCode { get; set; }

    public decimal? Weight { get; set; } = 1m;

    public int? CadenceDays { get; set; } = KeyResult.DefaultCadenceDays;

    public bool IsYesNo => MetricType is Domain.Okrs.MetricType.Boolean or Domain.Okrs.MetricType.Milestone;

    /// <summary>The definition the domain validates; the validator has made sure the required numbers are there.</summary>
    public KeyResultDefinition ToDefinition() => new(
        Title ?? string.Empty,
        MetricType ?? default,
        IsYesNo ? MetricDirection.Increase : Direction ?? default,
        IsYesNo ? 0m : Baseline ?? 0m,
        IsYesNo ? 1m : Target ?? 0m,
        BandLow,
        BandHigh,
        Unit,
        CurrencyCode,
        Weight ?? 1m,
        CadenceDays ?? KeyResult.DefaultCadenceDays,
        MetricName);

    public static KeyResultRow From(KeyResult k) => new()
    {
        KeyResultId = k.Id,
        Version = k.Version,
        Title = k.Title,
        MetricName = k.MetricName,
        MetricType = k.MetricType,
        Direction = k.Direction,
        Baseline = k.Baseline,
        Target = k.Target,
        BandLow = k.BandLow,
        BandHigh = k.BandHigh,
        Unit = k.MetricType == Domain.Okrs.MetricType.Percent ? null : k.Unit,
        CurrencyCode = k.CurrencyCode,
        Weight = k.Weight,
        CadenceDays = k.CadenceDays,
    };
}

/// <summary>The fields of the objective form, shared by create and edit.</summary>
public abstract class ObjectiveFormCommand
{
    public const int MaxRows = Objective.MaxKeyResults;

    public string? Title { get; set; }

    public string? Description { get; set; }

    public AlignmentKind? AlignTo { get; set; }

    public int? GoalId { get; set; }

    public int? ParentObjectiveId { get; set; }

    public string? OwnerId { get; set; }

    public decimal? Weight { get; set; } = 1m;

    public List<KeyResultRow> KeyResults { get; set; } = [];

    /// <summary>The goal, or the parent, depending on <see cref="AlignTo"/>: the other select is ignored.</summary>
    public (int? GoalId, int? ParentId) Alignment => AlignTo switch
    {
        AlignmentKind.Goal => (GoalId, null),
        AlignmentKind.Parent => (null, ParentObjectiveId),
        _ => (null, null),
    };
}

public sealed class CreateObjectiveCommand : ObjectiveFormCommand, ICommand<int>
{
    public int? TeamId { get; set; }

    /// <summary>"2027-Q1"; the period is created when it does not exist yet.</summary>
    public string? Period { get; set; }
}

public sealed class EditObjectiveCommand : ObjectiveFormCommand, ICommand<EditObjectiveResult>
{
    public int ObjectiveId { get; set; }

    public long Version { get; set; }
}

public sealed record EditObjectiveResult(int ObjectiveId, int RetiredKeyResults);

internal static class TextRules
{
    public static bool NoNul(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    public static bool NoControlCharacters(string? text) => text is null || !text.Any(char.IsControl);

    public static bool WithinMagnitude(decimal? value) => value is not { } v || Math.Abs(v) <= KeyResult.MaxMagnitude;

    public const string MagnitudeMessage = "Enter a number between −1,000,000,000,000 and 1,000,000,000,000.";

    /// <summary>The database keeps four decimal places (precision 20, 4): more would be rounded away silently.</summary>
    public static bool FourDecimals(decimal? value) => value is not { } v || decimal.Round(v, 4) == v;

    public const string DecimalsMessage = "Use at most four decimal places.";
}

public sealed class KeyResultRowValidator : AbstractValidator<KeyResultRow>
{
    public KeyResultRowValidator()
    {
        RuleFor(r => r.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Give the key result a title.")
            .Must(t => t!.Trim().Length <= Limits.Title).WithMessage($"The title must be at most {Limits.Title} characters.")
            .Must(TextRules.NoControlCharacters).WithMessage("The title contains a character that is not allowed.");
        RuleFor(r => r.MetricName).Cascade(CascadeMode.Stop)
            .Must(t => t is null || t.Trim().Length <= Limits.Name).WithMessage($"The metric name must be at most {Limits.Name} characters.")
            .Must(TextRules.NoControlCharacters).WithMessage("The metric name contains a character that is not allowed.");
        RuleFor(r => r.MetricType).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a metric type.")
            .IsInEnum().WithMessage("Choose a metric type from the list.");
        RuleFor(r => r.Direction).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a direction.")
            .IsInEnum().WithMessage("Choose a direction from the list.")
            .When(r => !r.IsYesNo);
        RuleFor(r => r.Baseline).NotNull().WithMessage("Enter where the metric starts.").When(r => !r.IsYesNo);
        RuleFor(r => r.Target).NotNull().WithMessage("Enter the target.").When(r => !r.IsYesNo);
        RuleFor(r => r.BandLow).NotNull().WithMessage("Enter the lower bound of the band.")
            .When(r => !r.IsYesNo && r.Direction == MetricDirection.StayWithin);
        RuleFor(r => r.BandHigh).NotNull().WithMessage("Enter the upper bound of the band.")
            .When(r => !r.IsYesNo && r.Direction == MetricDirection.StayWithin);
        foreach (var number in new System.Linq.Expressions.Expression<Func<KeyResultRow, decimal?>>[] { r => r.Baseline, r => r.Target, r => r.BandLow, r => r.BandHigh })
        {
            RuleFor(number).Cascade(CascadeMode.Stop)
                .Must(TextRules.WithinMagnitude).WithMessage(TextRules.MagnitudeMessage)
                .Must(TextRules.FourDecimals).WithMessage(TextRules.DecimalsMessage);
        }

        RuleFor(r => r.Unit).Cascade(CascadeMode.Stop)
            .Must(t => t is null || t.Trim().Length <= Limits.Unit).WithMessage($"The unit must be at most {Limits.Unit} characters.")
            .Must(TextRules.NoControlCharacters).WithMessage("The unit contains a character that is not allowed.");
        RuleFor(r => r.CurrencyCode).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Enter a three-letter ISO currency code, such as EUR or USD.")
            .Must(TextRules.NoControlCharacters).WithMessage("The currency code contains a character that is not allowed.")
            .When(r => r.MetricType == Domain.Okrs.MetricType.Currency);
        RuleFor(r => r.Weight).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter a weight (1 = normal).")
            .Must(w => w is > 0m and <= 100m).WithMessage("Weight must be above 0 and at most 100.")
            .Must(TextRules.FourDecimals).WithMessage(TextRules.DecimalsMessage);
        RuleFor(r => r.CadenceDays).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter how often to check in, in days.")
            .InclusiveBetween(1, 365).WithMessage("Check-in cadence must be between 1 and 365 days.");
    }
}

internal static class ObjectiveFormRules
{
    public static void Apply<T>(AbstractValidator<T> v)
        where T : ObjectiveFormCommand
    {
        v.RuleFor(c => c.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Give the objective a title.")
            .Must(t => t!.Trim().Length <= Limits.Title).WithMessage($"The title must be at most {Limits.Title} characters.")
            .Must(TextRules.NoControlCharacters).WithMessage("The title contains a character that is not allowed.");
        v.RuleFor(c => c.Description)
            .MaximumLength(Limits.LongText).WithMessage($"The description must be at most {Limits.LongText:N0} characters.")
            .Must(TextRules.NoNul).WithMessage("The description contains a character that is not allowed.");
        v.RuleFor(c => c.AlignTo).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose what the objective serves: a business goal or a parent objective.")
            .IsInEnum().WithMessage("Choose a business goal or a parent objective.");
        v.RuleFor(c => c.GoalId).NotNull().WithMessage("Choose the business goal this objective serves.").When(c => c.AlignTo == AlignmentKind.Goal);
        v.RuleFor(c => c.ParentObjectiveId).NotNull().WithMessage("Choose the parent objective this one contributes to.").When(c => c.AlignTo == AlignmentKind.Parent);
        v.RuleFor(c => c.OwnerId).Cascade(CascadeMode.Stop)
            .MaximumLength(Limits.UserId).WithMessage("Choose an owner from the list.")
            .Must(TextRules.NoControlCharacters).WithMessage("Choose an owner from the list.");
        v.RuleFor(c => c.Weight).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter a weight (1 = normal).")
            .Must(w => w is > 0m and <= 100m).WithMessage("Weight must be above 0 and at most 100.")
            .Must(TextRules.FourDecimals).WithMessage(TextRules.DecimalsMessage);
        v.RuleFor(c => c.KeyResults)
            .Must(rows => rows.Count is >= 1 and <= ObjectiveFormCommand.MaxRows)
            .WithMessage($"An objective needs between 1 and {ObjectiveFormCommand.MaxRows} key results.");
        v.RuleForEach(c => c.KeyResults).SetValidator(new KeyResultRowValidator());
    }
}

public sealed class CreateObjectiveValidator : AbstractValidator<CreateObjectiveCommand>
{
    public CreateObjectiveValidator()
    {
        RuleFor(c => c.TeamId).NotNull().WithMessage("Choose a team.");
        RuleFor(c => c.Period).Cascade(CascadeMode.Stop)
            .Must(p => !string.IsNullOrWhiteSpace(p)).WithMessage("Enter the period, such as 2027-Q1.")
            .Must(p => Period.TryParseKey(p!.Trim().ToUpperInvariant(), out _, out _)).WithMessage("Enter the period as year and quarter, such as 2027-Q1 (years 2000–2100).");
        ObjectiveFormRules.Apply(this);
    }
}

public sealed class EditObjectiveValidator : AbstractValidator<EditObjectiveCommand>
{
    public EditObjectiveValidator() => ObjectiveFormRules.Apply(this);
}
