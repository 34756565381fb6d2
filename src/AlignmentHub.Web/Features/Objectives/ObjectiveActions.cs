using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Objectives;

// ---------------------------------------------------------------- Close

public sealed class CloseObjectiveCommand : ICommand<decimal>
{
    public int ObjectiveId { get; set; }

    public long Version { get; set; }

    /// <summary>0.0–1.0.</summary>
    public decimal? Score { get; set; }

    public string? Retrospective { get; set; }
}

public sealed class CloseObjectiveValidator : AbstractValidator<CloseObjectiveCommand>
{
    public CloseObjectiveValidator()
    {
        RuleFor(c => c.Score).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Give a score between 0.0 and 1.0.")
            .InclusiveBetween(0m, 1m).WithMessage("Score must be between 0.0 and 1.0, such as 0.7.")
            .Must(s => decimal.Round(s!.Value, 2) == s.Value).WithMessage("Give the score with at most two decimals, such as 0.75.");
        RuleFor(c => c.Retrospective)
            .MaximumLength(Limits.LongText).WithMessage($"The retrospective note must be at most {Limits.LongText:N0} characters.")
            .Must(TextRules.NoNul).WithMessage("The retrospective note contains a character that is not allowed.");
    }
}

public sealed class CloseObjectiveHandler(AppDbContext db, OkrAccess access) : ICommandHandler<CloseObjectiveCommand, decimal>
{
    public async ValueTask<decimal> Handle(CloseObjectiveCommand command, CancellationToken cancellationToken)
    {
        var objective = await db.LoadForChangeAsync(access, command.ObjectiveId, command.Version, cancellationToken);
        objective.Close(command.Score!.Value, command.Retrospective);
        await db.SaveOrConflictAsync(objective, cancellationToken);
        return objective.Score ?? 0m;
    }
}

// ---------------------------------------------------------------- Carry over

public sealed class CarryOverCommand : ICommand<CarryOverResult>
{
    public int ObjectiveId { get; set; }

    public long Version { get; set; }

    /// <summary>The later period, "2027-Q2"; created when it does not exist yet.</summary>
    public string? Period { get; set; }
}

public sealed record CarryOverResult(int NewObjectiveId, string PeriodKey, int KeyResults, decimal Score, int RelinkedItems);

public sealed class CarryOverValidator : AbstractValidator<CarryOverCommand>
{
    public CarryOverValidator() =>
        RuleFor(c => c.Period).Cascade(CascadeMode.Stop)
            .Must(p => !string.IsNullOrWhiteSpace(p)).WithMessage("Choose the period to carry the objective into.")
            .Must(p => Period.TryParseKey(p!.Trim().ToUpperInvariant(), out _, out _)).WithMessage("Choose a period from the list, such as 2027-Q2.");
}

public sealed class CarryOverHandler(AppDbContext db, OkrAccess access, TimeProvider clock) : ICommandHandler<CarryOverCommand, CarryOverResult>
{
    public async ValueTask<CarryOverResult> Handle(CarryOverCommand command, CancellationToken cancellationToken)
    {
        var objective = await db.LoadForChangeAsync(access, command.ObjectiveId, command.Version, cancellationToken);
        var current = await db.Periods.SingleAsync(p => p.Id == objective.PeriodId, cancellationToken);
        var key = command.Period!.Trim().ToUpperInvariant();
        _ = Period.TryParseKey(key, out var year, out var quarter);
        var next = await db.Periods.SingleOrDefaultAsync(p => p.Key == key, cancellationToken) ?? Period.ForQuarter(year, quarter);

        // One transaction: the period first when it is new (the new objective needs its key), then the closed
        // original and the new objective together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveNewPeriodAsync(next, cancellationToken);
        var unfinished = objective.ActiveKeyResults.Where(k => k.Progress().RolledUp < 100m).ToList(); // the order CarryInto copies them in
        Objective copy;
        try
        {
            copy = objective.CarryInto(next, current, clock.GetUtcNow());
        }
        catch (DomainException ex) when (ex.Field == nameof(Objective.PeriodId))
        {
            throw new DomainException(ex.Message, nameof(CarryOverCommand.Period));
        }

        db.Objectives.Add(copy);
        await db.SaveOrConflictAsync(objective, cancellationToken);
        var relinked = await RelinkRoadmapItemsAsync(unfinished.Zip(copy.KeyResults).ToDictionary(p => p.First.Id, p => p.Second.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CarryOverResult(copy.Id, next.Key, copy.KeyResults.Count, objective.Score ?? 0m, relinked);
    }

    /// <summary>
    /// Roadmap items still in play that link to a carried key result are linked to its copy too, so their "why" still
    /// reaches an active key result (brief §5: nothing becomes an orphan silently). The old links stay, as history.
    /// </summary>
    private async Task<int> RelinkRoadmapItemsAsync(Dictionary<int, int> copies, CancellationToken cancellationToken)
    {
        var oldIds = copies.Keys.ToList();
        var items = await db.RoadmapItems.Include(i => i.Links)
            .Where(i => i.ArchivedAt == null && i.Status != RoadmapItemStatus.Shipped && i.Status != RoadmapItemStatus.Dropped)
            .Where(i => i.Links.Any(l => l.TargetType == LinkTargetType.KeyResult && oldIds.Contains(l.TargetId)))
            .ToListAsync(cancellationToken);
        foreach (var item in items)
        {
            var targets = item.Links.Where(l => l.TargetType == LinkTargetType.KeyResult && copies.ContainsKey(l.TargetId)).Select(l => copies[l.TargetId]).ToList();
            foreach (var newId in targets.Where(id => !item.Links.Any(l => l.TargetType == LinkTargetType.KeyResult && l.TargetId == id)))
            {
                item.LinkTo(LinkTargetType.KeyResult, newId);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("A roadmap item linked to these key results changed at the same moment. Carry the objective over again.");
        }

        return items.Count;
    }
}

// ---------------------------------------------------------------- Move a key result

public sealed class MoveKeyResultCommand : ICommand<MoveKeyResultResult>
{
    public int KeyResultId { get; set; }

    public int? TargetObjectiveId { get; set; }
}

public sealed record MoveKeyResultResult(int TargetObjectiveId, string KeyResultTitle, string TargetTitle);

public sealed class MoveKeyResultValidator : AbstractValidator<MoveKeyResultCommand>
{
    public MoveKeyResultValidator() =>
        RuleFor(c => c.TargetObjectiveId).NotNull().WithMessage("Choose the objective to move the key result to.");
}

public sealed class MoveKeyResultHandler(AppDbContext db, OkrAccess access) : ICommandHandler<MoveKeyResultCommand, MoveKeyResultResult>
{
    public async ValueTask<MoveKeyResultResult> Handle(MoveKeyResultCommand command, CancellationToken cancellationToken)
    {
        var sourceId = await db.KeyResults.Where(k => k.Id == command.KeyResultId).Select(k => (int?)k.ObjectiveId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The key result");
        var targetId = command.TargetObjectiveId!.Value;
        var objectives = await db.Objectives.Include(o => o.KeyResults).Where(o => o.Id == sourceId || o.Id == targetId).ToListAsync(cancellationToken);
        var source = objectives.Single(o => o.Id == sourceId);
        await access.EnsureCanEditObjectiveAsync(source.TeamId, await access.ProductOfAsync(source.GoalId, source.ParentObjectiveId, cancellationToken), cancellationToken);
        var target = objectives.SingleOrDefault(o => o.Id == targetId)
            ?? throw new DomainException("Choose an objective from the list.", nameof(MoveKeyResultCommand.TargetObjectiveId));
        await access.EnsureCanEditObjectiveAsync(target.TeamId, await access.ProductOfAsync(target.GoalId, target.ParentObjectiveId, cancellationToken), cancellationToken);

        var keyResult = source.KeyResults.Single(k => k.Id == command.KeyResultId);
        try
        {
            source.MoveKeyResultTo(keyResult, target);
        }
        catch (DomainException ex) when (ex.Field != nameof(MoveKeyResultCommand.TargetObjectiveId))
        {
            throw new DomainException(ex.Message); // about the key result or its objective: said at the top of the page
        }

        // Both objectives' forms are now out of date: bump both (see TouchAggregate).
        source.BumpVersion();
        target.BumpVersion();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("Someone changed one of these objectives at the same moment. Check them and move the key result again.");
        }

        return new MoveKeyResultResult(target.Id, keyResult.Title, target.Title);
    }
}

public sealed record MoveTarget(int Id, string Title, string TeamName, int ActiveKeyResults)
{
    public bool IsFull => ActiveKeyResults >= Objective.MaxKeyResults;
}

public sealed record MoveKeyResultPage(int KeyResultId, string Title, string Details, ObjectiveContext Source, IReadOnlyList<MoveTarget> Targets)
{
    public bool CanLeave => Source.IsActive && Source.KeyResults.Count > 1;
}

/// <summary>The move page: the key result, its objective, and the active objectives of the same period the user may edit.</summary>
public sealed record GetMoveKeyResultQuery(int KeyResultId) : IQuery<MoveKeyResultPage>;

public sealed class GetMoveKeyResultHandler(AppDbContext db, OkrAccess access, IMediator mediator) : IQueryHandler<GetMoveKeyResultQuery, MoveKeyResultPage>
{
    public async ValueTask<MoveKeyResultPage> Handle(GetMoveKeyResultQuery query, CancellationToken cancellationToken)
    {
        var keyResult = await db.KeyResults.AsNoTracking().Where(k => k.Id == query.KeyResultId)
            .Select(k => new { k.ObjectiveId, k.Status }).SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The key result");
        var source = await mediator.Send(new GetObjectiveContextQuery(keyResult.ObjectiveId), cancellationToken);
        var info = source.KeyResults.SingleOrDefault(k => k.Id == query.KeyResultId);
        if (keyResult.Status != KeyResultStatus.Active || info is null)
        {
            throw new NotFoundException("The key result"); // retired key results stay where their history is
        }

        var candidates = await db.Objectives.AsNoTracking()
            .Where(o => o.PeriodId == source.Period.Id && o.Status == ObjectiveStatus.Active && o.Id != source.Id)
            .Join(db.Teams.AsNoTracking(), o => o.TeamId, t => t.Id, (o, t) => new
            {
                o.Id, o.Title, o.TeamId, TeamName = t.Name, o.GoalId, o.ParentObjectiveId,
                Active = o.KeyResults.Count(k => k.Status == KeyResultStatus.Active),
            })
            .OrderBy(o => o.TeamName).ThenBy(o => o.Title)
            .ToListAsync(cancellationToken);
        var targets = new List<MoveTarget>();
        foreach (var o in candidates)
        {
            if (await access.CanEditObjectiveAsync(o.TeamId, await access.ProductOfAsync(o.GoalId, o.ParentObjectiveId, cancellationToken), cancellationToken))
            {
                targets.Add(new MoveTarget(o.Id, o.Title, o.TeamName, o.Active));
            }
        }

        return new MoveKeyResultPage(info.Id, info.Title, info.Details, source, targets);
    }
}

// ---------------------------------------------------------------- Shared

internal static class ObjectiveChange
{
    /// <summary>Loads an objective to change it: 404, 403, "no longer active", and a stale version are refused here.</summary>
    public static async Task<Objective> LoadForChangeAsync(this AppDbContext db, OkrAccess access, int objectiveId, long postedVersion, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Id == objectiveId, cancellationToken)
            ?? throw new NotFoundException("The objective");
        await access.EnsureCanEditObjectiveAsync(objective.TeamId, await access.ProductOfAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken), cancellationToken);
        if (objective.Status != ObjectiveStatus.Active)
        {
            throw new DomainException("This objective is already closed.");
        }

        if (objective.Version != postedVersion)
        {
            throw await db.ObjectiveConflictAsync(objective, cancellationToken);
        }

        db.ExpectVersion(objective, postedVersion);
        return objective;
    }

    public static async Task SaveOrConflictAsync(this AppDbContext db, Objective objective, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Id == objective.Id, cancellationToken)
                ?? throw new NotFoundException("The objective");
            throw await db.ObjectiveConflictAsync(fresh, cancellationToken);
        }
    }
}
