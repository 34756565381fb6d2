using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Vision;

/// <summary>Saves a new version of the vision. <see cref="BaseVersion"/> is the version the editor started from.</summary>
public sealed class ReviseVisionCommand : ICommand<int>
{
    public int ProductId { get; set; }

    public int BaseVersion { get; set; }

    public string? Text { get; set; }

    public string? Reason { get; set; }
}

public sealed class ReviseVisionValidator : AbstractValidator<ReviseVisionCommand>
{
    public ReviseVisionValidator()
    {
        RuleFor(c => c.Text).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Write the vision before saving.")
            .MaximumLength(Limits.VisionText).WithMessage($"The vision must be at most {Limits.VisionText:N0} characters.")
            .Must(t => !t!.Contains('\0', StringComparison.Ordinal)).WithMessage("The text contains a character that is not allowed.");
        RuleFor(c => c.Reason)
            .MaximumLength(Limits.Reason).WithMessage($"The reason must be at most {Limits.Reason} characters.")
            .Must(t => t is null || !t.Contains('\0', StringComparison.Ordinal)).WithMessage("The reason contains a character that is not allowed.");
        RuleFor(c => c.BaseVersion).GreaterThanOrEqualTo(0);
    }
}

public sealed class ReviseVisionHandler(AppDbContext db, StrategyAccess access, ICurrentUser user, TimeProvider clock) : ICommandHandler<ReviseVisionCommand, int>
{
    public async ValueTask<int> Handle(ReviseVisionCommand command, CancellationToken cancellationToken)
    {
        await db.GetProductNameAsync(command.ProductId, cancellationToken);
        await access.EnsureCanEditStrategyAsync(command.ProductId, cancellationToken);

        var vision = await db.Visions.SingleOrDefaultAsync(v => v.ProductId == command.ProductId, cancellationToken);
        if (vision is null)
        {
            vision = new Domain.Strategy.Vision(command.ProductId);
            db.Visions.Add(vision);
        }

        var currentText = vision.CurrentVersionNumber == 0 ? null : await db.VisionVersions
            .Where(v => v.VisionId == vision.Id && v.Number == vision.CurrentVersionNumber).Select(v => v.Text).SingleAsync(cancellationToken);
        if (vision.CurrentVersionNumber != command.BaseVersion)
        {
            throw await StaleAsync(vision, currentText, cancellationToken);
        }

        var version = vision.Revise(command.Text!, user.Id, user.DisplayName, clock.GetUtcNow(), command.Reason, currentText);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another editor saved between our read and our write (version token or unique version number).
            db.ChangeTracker.Clear();
            var fresh = await db.Visions.AsNoTracking().SingleAsync(v => v.ProductId == command.ProductId, cancellationToken);
            var freshText = await db.VisionVersions.AsNoTracking().Where(v => v.VisionId == fresh.Id && v.Number == fresh.CurrentVersionNumber).Select(v => v.Text).SingleAsync(cancellationToken);
            throw await StaleAsync(fresh, freshText, cancellationToken);
        }

        return version.Number;
    }

    private async Task<Infrastructure.Errors.ConcurrencyConflictException> StaleAsync(Domain.Strategy.Vision vision, string? currentText, CancellationToken cancellationToken) =>
        await db.ConflictAsync(nameof(Domain.Strategy.Vision), vision.Id, vision.CurrentVersionNumber,
            new Dictionary<string, string?> { [$"Version {vision.CurrentVersionNumber}"] = currentText }, cancellationToken);
}
