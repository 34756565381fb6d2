using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Goals;

/// <summary>The fields of the goal form, shared by create and edit.</summary>
public abstract class GoalForm
{
    public int ProductId { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? SuccessMetric { get; set; }

    public GoalHorizon? Horizon { get; set; }
}

public sealed class CreateGoalCommand : GoalForm, ICommand<int>
{
    /// <summary>Where to insert the goal; empty = last.</summary>
    public int? Rank { get; set; }
}

public sealed class EditGoalCommand : GoalForm, ICommand<int>
{
    public int GoalId { get; set; }

    public long Version { get; set; }
}

public sealed class MoveGoalCommand : ICommand<int>
{
    public int ProductId { get; set; }

    public int GoalId { get; set; }

    public int NewRank { get; set; }

    /// <summary>The product's version when the list was shown: a ranking changed since then is a conflict.</summary>
    public long ProductVersion { get; set; }
}

internal static class GoalFormRules
{
    public static void Apply<T>(AbstractValidator<T> v)
        where T : GoalForm
    {
        v.RuleFor(c => c.Title).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Give the goal a title.")
            .Must(t => t!.Trim().Length <= Limits.Title).WithMessage($"The title must be at most {Limits.Title} characters.")
            .Must(NoControlCharacters).WithMessage("The title contains a character that is not allowed.");
        v.RuleFor(c => c.Description)
            .MaximumLength(Limits.LongText).WithMessage($"The description must be at most {Limits.LongText:N0} characters.")
            .Must(NoNul).WithMessage("The description contains a character that is not allowed.");
        v.RuleFor(c => c.SuccessMetric)
            .MaximumLength(Limits.ShortText).WithMessage($"The success metric must be at most {Limits.ShortText} characters.")
            .Must(NoNul).WithMessage("The success metric contains a character that is not allowed.");
        v.RuleFor(c => c.Horizon).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a horizon.")
            .IsInEnum().WithMessage("Choose a horizon from the list.");
    }

    private static bool NoNul(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    private static bool NoControlCharacters(string? text) => text is null || !text.Any(c => char.IsControl(c));
}

public sealed class CreateGoalValidator : AbstractValidator<CreateGoalCommand>
{
    public CreateGoalValidator()
    {
        GoalFormRules.Apply(this);
        RuleFor(c => c.Rank).InclusiveBetween(1, 1000).WithMessage("Rank must be a whole number from 1 up.");
    }
}

public sealed class EditGoalValidator : AbstractValidator<EditGoalCommand>
{
    public EditGoalValidator() => GoalFormRules.Apply(this);
}

public sealed class MoveGoalValidator : AbstractValidator<MoveGoalCommand>
{
    public MoveGoalValidator() => RuleFor(c => c.NewRank).InclusiveBetween(1, 1000).WithMessage("Rank must be a whole number from 1 up.");
}

public sealed class CreateGoalHandler(AppDbContext db, StrategyAccess access) : ICommandHandler<CreateGoalCommand, int>
{
    public async ValueTask<int> Handle(CreateGoalCommand command, CancellationToken cancellationToken)
    {
        await access.EnsureCanEditStrategyAsync(command.ProductId, cancellationToken);
        var product = await db.Products.Include(p => p.Goals).SingleOrDefaultAsync(p => p.Id == command.ProductId, cancellationToken)
            ?? throw new NotFoundException("The product");
        var goal = product.AddGoal(command.Title!, command.Description, command.SuccessMetric, command.Horizon!.Value, command.Rank);
        await GoalSaving.SaveRankingAsync(db, product, cancellationToken);
        return goal.Id;
    }
}

public sealed class EditGoalHandler(AppDbContext db, StrategyAccess access) : ICommandHandler<EditGoalCommand, int>
{
    public async ValueTask<int> Handle(EditGoalCommand command, CancellationToken cancellationToken)
    {
        await access.EnsureCanEditStrategyAsync(command.ProductId, cancellationToken);
        var product = await db.Products.Include(p => p.Goals).SingleOrDefaultAsync(p => p.Id == command.ProductId, cancellationToken)
            ?? throw new NotFoundException("The product");
        var goal = product.Goals.SingleOrDefault(g => g.Id == command.GoalId) ?? throw new NotFoundException("The goal");
        if (goal.Version != command.Version)
        {
            throw await ConflictAsync(goal, cancellationToken);
        }

        db.ExpectVersion(goal, command.Version);
        goal.Edit(command.Title!, command.Description, command.SuccessMetric, command.Horizon!.Value);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == command.GoalId, cancellationToken) ?? throw new NotFoundException("The goal");
            throw await ConflictAsync(fresh, cancellationToken);
        }

        return goal.Id;
    }

    private Task<ConcurrencyConflictException> ConflictAsync(Goal goal, CancellationToken cancellationToken) =>
        db.ConflictAsync(nameof(Goal), goal.Id, goal.Version, new Dictionary<string, string?>
        {
            ["Title"] = goal.Title,
            ["Description"] = goal.Description,
            ["Success metric"] = goal.SuccessMetric,
            ["Horizon"] = GoalText.Horizon(goal.Horizon),
        }, cancellationToken);
}

public sealed class MoveGoalHandler(AppDbContext db, StrategyAccess access) : ICommandHandler<MoveGoalCommand, int>
{
    public async ValueTask<int> Handle(MoveGoalCommand command, CancellationToken cancellationToken)
    {
        await access.EnsureCanEditStrategyAsync(command.ProductId, cancellationToken);
        var product = await db.Products.Include(p => p.Goals).SingleOrDefaultAsync(p => p.Id == command.ProductId, cancellationToken)
            ?? throw new NotFoundException("The product");
        var goal = product.Goals.SingleOrDefault(g => g.Id == command.GoalId) ?? throw new NotFoundException("The goal");
        if (product.Version != command.ProductVersion)
        {
            throw new DomainException("The ranking changed since you opened this page. It has been reloaded: check the order and move the goal again.");
        }

        db.ExpectVersion(product, command.ProductVersion);
        product.MoveGoal(goal, command.NewRank);
        await GoalSaving.SaveRankingAsync(db, product, cancellationToken);
        return goal.Rank ?? 0;
    }
}

internal static class GoalSaving
{
    /// <summary>Saves a ranking change; a concurrent ranking change on the product is reported, never merged.</summary>
    public static async Task SaveRankingAsync(AppDbContext db, Product product, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("Someone else changed the ranking of this product's goals at the same time. Reload the page and try again.");
        }
    }
}
