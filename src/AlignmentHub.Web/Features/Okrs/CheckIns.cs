using System.Data.Common;
using System.Globalization;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Okrs;

/// <summary>A check-in on a key result: its value now, the confidence of reaching the target (0–10) and a note.</summary>
public sealed class CheckInCommand : ICommand<CheckInResult>
{
    /// <summary>From the route, never from the form.</summary>
    public int KeyResultId { get; set; }

    public decimal? Value { get; set; }

    public int? Confidence { get; set; }

    public string? Note { get; set; }
}

public sealed record CheckInResult(int ObjectiveId, int CheckInId, string Message);

public sealed class CheckInValidator : AbstractValidator<CheckInCommand>
{
    public const string ValueRangeMessage = "Enter a value between −1,000,000,000,000 and 1,000,000,000,000.";
    public const string ValueFormatMessage = Infrastructure.Binding.FormValueParser.NotANumberMessage;
    public const string ConfidenceMessage = "Choose a confidence from 0 (no chance) to 10 (certain).";

    public CheckInValidator()
    {
        RuleFor(c => c.Value).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the value the key result stands at now.")
            .Must(v => Math.Abs(v!.Value) <= KeyResult.MaxMagnitude).WithMessage(ValueRangeMessage);
        RuleFor(c => c.Confidence).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(ConfidenceMessage)
            .InclusiveBetween(0, 10).WithMessage(ConfidenceMessage);
        RuleFor(c => c.Note)
            .MaximumLength(Limits.LongText).WithMessage($"The note must be at most {Limits.LongText:N0} characters.")
            .Must(n => n is null || !n.Contains('\0', StringComparison.Ordinal)).WithMessage("The note contains a character that is not allowed.");
    }
}

/// <summary>
/// Records a check-in without ever losing one under concurrency. The check-in row is the only thing inserted through
/// the change tracker (so it is audited as Created); the key result's current value and last check-in time are then
/// recomputed from its newest check-in by one set-based UPDATE in the same transaction. The key result's row is locked
/// first, so that recomputation sees every check-in committed before it on every provider (SQLite serialises writers
/// anyway; PostgreSQL and SQL Server would otherwise let a late writer compute from a stale snapshot).
/// </summary>
public sealed class CheckInHandler(AppDbContext db, OkrAccess access, ICurrentUser user, TimeProvider clock, ILogger<CheckInHandler> logger)
    : ICommandHandler<CheckInCommand, CheckInResult>
{
    private const int MaxAttempts = 4;

    public async ValueTask<CheckInResult> Handle(CheckInCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RecordAsync(command, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                // A busy database (SQLite under many parallel writers) or a deadlock victim: nothing was committed.
                logger.LogInformation("Check-in on key result {KeyResultId} retried after a transient database error (attempt {Attempt}): {Error}",
                    command.KeyResultId, attempt, ex.GetBaseException().Message);
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
            }
        }
    }

    private async Task<CheckInResult> RecordAsync(CheckInCommand command, CancellationToken cancellationToken)
    {
        var keyResultId = command.KeyResultId;
        var keyResult = await db.KeyResults.Include(k => k.Objective).SingleOrDefaultAsync(k => k.Id == keyResultId, cancellationToken)
            ?? throw new NotFoundException("The key result");
        await access.EnsureCanCheckInAsync(keyResult.Objective.TeamId, cancellationToken);

        var at = clock.GetUtcNow();
        var checkIn = keyResult.RecordCheckIn(command.Value!.Value, command.Confidence!.Value, command.Note, user.Id, user.DisplayName, at);
        var view = KeyResultView.From(keyResult, null, at, checkIn.Confidence);

        // Only the check-in row is written through the change tracker: the key result's own columns are set below,
        // atomically from the stored check-ins, so parallel check-ins never overwrite each other's effect.
        var entry = db.Entry(keyResult);
        foreach (var property in new[] { entry.Property(k => k.Current).Metadata.Name, entry.Property(k => k.LastCheckInAt).Metadata.Name })
        {
            var p = entry.Property(property);
            p.CurrentValue = p.OriginalValue;
            p.IsModified = false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Lock the key result's row before reading its check-ins (a no-op update takes the row lock everywhere).
        await db.KeyResults.Where(k => k.Id == keyResultId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastCheckInAt, k => k.LastCheckInAt), cancellationToken);

        await db.SaveChangesAsync(cancellationToken); // the check-in and its "Created" audit row (the interceptor joins this transaction)

        await db.KeyResults.Where(k => k.Id == keyResultId)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(
                        k => k.Current,
                        k => db.CheckIns.Where(c => c.KeyResultId == k.Id)
                            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                            .Select(c => (decimal?)c.Value).FirstOrDefault())
                    .SetProperty(
                        k => k.LastCheckInAt,
                        k => db.CheckIns.Where(c => c.KeyResultId == k.Id)
                            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                            .Select(c => (DateTimeOffset?)c.CreatedAt).FirstOrDefault()),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var level = OkrText.Level(checkIn.Level).ToLowerInvariant();
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Check-in saved: “{keyResult.Title}” is now {OkrText.Value(view, checkIn.Value)}, confidence {checkIn.Confidence} of 10 ({level}).");
        return new CheckInResult(keyResult.ObjectiveId, checkIn.Id, message);
    }

    private static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 } || e is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
