using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Objectives;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Impact;

/// <summary>
/// Retire a goal, objective or key result (or mark a goal achieved) together with the choice for what would lose its
/// justification: re-link (to one target) or drop. Posts back what the page showed, so a change meanwhile is refused.
/// </summary>
public sealed class RetireCommand : ICommand<RetireResult>
{
    public const string Relink = "relink";
    public const string Drop = "drop";

    public ImpactSubject Kind { get; set; }

    public ImpactAction Action { get; set; } = ImpactAction.Retire;

    public int SubjectId { get; set; }

    public int? ProductId { get; set; }

    /// <summary>The subject's version when the page was shown (for a key result: its objective's).</summary>
    public long Version { get; set; }

    /// <summary>Why a goal is retired (optional).</summary>
    public string? Reason { get; set; }

    /// <summary>"id:version,…" of the affected items the page showed.</summary>
    public string? SeenItems { get; set; }

    /// <summary>"id:version,…" of the affected objectives the page showed.</summary>
    public string? SeenObjectives { get; set; }

    /// <summary><see cref="Relink"/> (re-align) or <see cref="Drop"/> (retire) for the affected objectives.</summary>
    public string? ObjectiveChoice { get; set; }

    /// <summary>"goal:3" or "objective:5".</summary>
    public string? ObjectiveTarget { get; set; }

    /// <summary><see cref="Relink"/> or <see cref="Drop"/> for the affected items.</summary>
    public string? ItemChoice { get; set; }

    /// <summary>"goal:3", "objective:5" or "kr:12".</summary>
    public string? ItemTarget { get; set; }
}

/// <summary>The flash message reporting what was done, and where to go next.</summary>
public sealed record RetireResult(string Message, string RedirectUrl);

public sealed class RetireValidator : AbstractValidator<RetireCommand>
{
    public RetireValidator()
    {
        RuleFor(c => c.Reason).Cascade(CascadeMode.Stop)
            .Must(r => r is null || r.Trim().Length <= Limits.Reason).WithMessage($"The reason must be at most {Limits.Reason} characters.")
            .Must(r => r is null || !r.Any(ch => char.IsControl(ch) && ch is not '\r' and not '\n' and not '\t')).WithMessage("The reason contains a character that is not allowed.");
        RuleFor(c => c.ObjectiveChoice).Must(BeAChoice).WithMessage("Choose one of the options for the objectives.");
        RuleFor(c => c.ItemChoice).Must(BeAChoice).WithMessage("Choose one of the options for the roadmap items.");
    }

    private static bool BeAChoice(string? choice) => string.IsNullOrEmpty(choice) || choice is RetireCommand.Relink or RetireCommand.Drop;
}

/// <summary>Raised when what would be affected is not what the page showed (or the subject changed): nothing is applied.</summary>
public sealed class ImpactChangedException() : Exception(Text)
{
    public const string Text = "What would be affected changed while you were looking; review it again.";
}

public sealed class RetireHandler(AppDbContext db, AlignmentGraphLoader loader, StrategyAccess strategy, OkrAccess okrs, RoadmapAccess roadmap, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<RetireCommand, RetireResult>
{
    public async ValueTask<RetireResult> Handle(RetireCommand command, CancellationToken cancellationToken)
    {
        var subject = await ImpactSubjects.LoadAsync(db, strategy, okrs, command.Kind, command.Action, command.SubjectId, command.ProductId, cancellationToken);
        if (subject.NotPossible is not null)
        {
            throw new DomainException(subject.NotPossible);
        }

        // One transaction from the recomputation to the last write: what is applied is what was checked, or nothing.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var plan = subject.ProductId is { } productId
            ? new ImpactPlan(await loader.LoadAsync(productId, cancellationToken), subject.TargetType, subject.Id)
            : null;
        var affectedItems = plan?.Impact.Items.Select(i => i.Id).ToHashSet() ?? [];
        var affectedObjectives = plan?.Impact.Objectives.Select(o => o.Id).ToHashSet() ?? [];
        var seenItems = Seen.Parse(command.SeenItems);
        var seenObjectives = Seen.Parse(command.SeenObjectives);
        if (subject.Version != command.Version || seenItems is null || seenObjectives is null
            || !affectedItems.SetEquals(seenItems.Keys) || !affectedObjectives.SetEquals(seenObjectives.Keys))
        {
            throw new ImpactChangedException();
        }

        var choice = plan is null ? null : await DecideAsync(command, subject, plan, cancellationToken);
        var report = new List<string>();
        await RetireSubjectAsync(subject, command, cancellationToken);
        if (choice is not null)
        {
            report.AddRange(await ApplyAsync(choice, seenItems, seenObjectives, cancellationToken));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed the subject or one of the affected objectives or items since the page was shown:
            // the transaction is rolled back (disposed uncommitted), so neither the subject nor anything else changed.
            db.ChangeTracker.Clear();
            throw new ImpactChangedException();
        }

        await transaction.CommitAsync(cancellationToken);
        var first = $"{char.ToUpperInvariant(subject.Noun[0])}{subject.Noun[1..]} “{subject.Title}” {subject.Done}.";
        var message = report.Count == 0 ? first : $"{first} {string.Join("; ", report)}.";
        if (subject.Action == ImpactAction.Delete)
        {
            // Its own page is gone: back to the OKRs, with where to undo it.
            var undo = $" You can restore it with its key results and check-ins from Recently deleted for {Deletion.RestoreDays} days"
                + (report.Count == 0 ? "." : "; the choices above stay as they are if you do.");
            return new RetireResult(message + undo, "/okrs");
        }

        return new RetireResult(message, subject.BackUrl);
    }

    /// <summary>
    /// Checks the choices against the recomputed impact: a choice where something is affected, a target that still
    /// reaches an active goal once the subject is retired; and the user's right to change what the choices change.
    /// Objectives first: items that follow their re-aligned objective need no choice of their own.
    /// </summary>
    private async Task<Choice> DecideAsync(RetireCommand command, SubjectInfo subject, ImpactPlan plan, CancellationToken cancellationToken)
    {
        var failures = new List<ValidationFailure>();
        var productId = subject.ProductId!.Value;
        int? goalTarget = null;
        int? parentTarget = null;
        var objectiveChoice = plan.Impact.Objectives.Count == 0 ? null : command.ObjectiveChoice;
        if (plan.Impact.Objectives.Count > 0)
        {
            if (string.IsNullOrEmpty(objectiveChoice))
            {
                failures.Add(new(nameof(RetireCommand.ObjectiveChoice), "Choose what happens to the objectives: re-align them or retire them."));
            }
            else if (objectiveChoice == RetireCommand.Relink)
            {
                (goalTarget, parentTarget) = await ObjectiveTargetAsync(command.ObjectiveTarget, subject, plan, failures, cancellationToken);
            }
        }

        // Drop: the objectives' items lose their reason too. Otherwise (re-link, or no choice yet) the items below
        // the objectives follow them; without a valid target yet, any active goal stands in for it.
        var graph = objectiveChoice == RetireCommand.Drop ? plan.Dropped()
            : goalTarget is not null || parentTarget is not null ? plan.Realigned(goalTarget, parentTarget)
            : plan.RealignedToAnyGoal();
        var remaining = plan.Impact.Items.Where(i => !graph.IsAligned(i.Id)).ToList();
        LinkTargetType? itemTargetType = null;
        var itemTargetId = 0;
        if (remaining.Count > 0)
        {
            if (string.IsNullOrEmpty(command.ItemChoice))
            {
                failures.Add(new(nameof(RetireCommand.ItemChoice), "Choose what happens to the roadmap items: link them to another target or drop them."));
            }
            else if (command.ItemChoice == RetireCommand.Relink)
            {
                if (string.IsNullOrEmpty(command.ItemTarget))
                {
                    failures.Add(new(nameof(RetireCommand.ItemTarget), "Choose the goal, objective or key result to link the items to."));
                }
                else if (!LinkTargets.TryParse(command.ItemTarget, out var type, out var id))
                {
                    failures.Add(new(nameof(RetireCommand.ItemTarget), "Choose a goal, objective or key result from the list."));
                }
                else if (type == subject.TargetType && id == subject.Id)
                {
                    failures.Add(new(nameof(RetireCommand.ItemTarget), $"That is the {subject.Noun} being {subject.Done}: choose another target."));
                }
                else if (!LinkTargets.IsValidTarget(plan.After, type, id))
                {
                    failures.Add(new(nameof(RetireCommand.ItemTarget), $"That target would not reach an active goal once this {subject.Noun} is {subject.Done}: choose one from the list."));
                }
                else
                {
                    (itemTargetType, itemTargetId) = (type, id);
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        // Only what the choices change needs the user's right to change it; that is checked before anything is written.
        var changedObjectives = objectiveChoice switch
        {
            RetireCommand.Relink => plan.Roots.ToList(),
            RetireCommand.Drop => plan.Impact.Objectives.ToList(),
            _ => [],
        };
        foreach (var objective in changedObjectives)
        {
            if (!await okrs.CanEditObjectiveAsync(objective.TeamId, productId, cancellationToken))
            {
                throw new ForbiddenException("Some of the affected objectives belong to teams whose objectives you may not change. A product manager of this product can run this check.");
            }
        }

        foreach (var item in remaining)
        {
            if (!await roadmap.CanEditItemAsync(productId, item.TeamId, cancellationToken))
            {
                throw new ForbiddenException("Some of the affected roadmap items belong to teams whose items you may not change. A product manager of this product can run this check.");
            }
        }

        return new Choice(objectiveChoice, goalTarget, parentTarget, changedObjectives.Select(o => o.Id).ToList(),
            plan.FollowingObjectives.Count, remaining.Select(i => i.Id).ToList(), plan.Impact.Items.Count - remaining.Count,
            remaining.Count == 0 ? null : command.ItemChoice, itemTargetType, itemTargetId);
    }

    private async Task<(int? Goal, int? Parent)> ObjectiveTargetAsync(string? target, SubjectInfo subject, ImpactPlan plan, List<ValidationFailure> failures,
        CancellationToken cancellationToken)
    {
        const string field = nameof(RetireCommand.ObjectiveTarget);
        if (string.IsNullOrEmpty(target))
        {
            failures.Add(new(field, "Choose the goal or parent objective to re-align the objectives to."));
            return (null, null);
        }

        if (!LinkTargets.TryParse(target, out var type, out var id) || type == LinkTargetType.KeyResult)
        {
            failures.Add(new(field, "Choose a goal or an objective from the list."));
            return (null, null);
        }

        if (type == subject.TargetType && id == subject.Id)
        {
            failures.Add(new(field, $"That is the {subject.Noun} being {subject.Done}: choose another goal or objective."));
            return (null, null);
        }

        if (type == LinkTargetType.Goal)
        {
            if (plan.After.Goal(id) is { IsActive: true })
            {
                return (id, null);
            }

            failures.Add(new(field, "Choose an active goal from the list."));
            return (null, null);
        }

        var rootPeriods = await db.Objectives.AsNoTracking().Where(o => plan.Roots.Select(r => r.Id).Contains(o.Id)).Select(o => (int?)o.PeriodId).ToListAsync(cancellationToken);
        var parents = await ObjectiveTargets.ParentsAsync(db, plan, rootPeriods, subject, cancellationToken);
        if (parents.Any(p => p.Id == id))
        {
            return (null, id);
        }

        failures.Add(new(field, rootPeriods.Distinct().Count() > 1
            ? "These objectives are of different periods, so they cannot share a parent objective: choose a goal."
            : "Choose an active objective of the same period that still reaches an active goal, or a goal."));
        return (null, null);
    }

    private async Task RetireSubjectAsync(SubjectInfo subject, RetireCommand command, CancellationToken cancellationToken)
    {
        switch (subject.Kind)
        {
            case ImpactSubject.Goal:
                // The product owns the ranking: the goals after this one move up, and a concurrent re-ranking conflicts.
                var product = await db.Products.Include(p => p.Goals).SingleAsync(p => p.Id == subject.ProductId, cancellationToken);
                var goal = product.Goals.Single(g => g.Id == subject.Id);
                db.ExpectVersion(goal, command.Version);
                if (subject.Action == ImpactAction.Achieve)
                {
                    goal.MarkAchieved();
                }
                else
                {
                    goal.Retire(string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim(), clock.GetUtcNow());
                }

                break;
            case ImpactSubject.Objective:
                var objective = await db.Objectives.SingleAsync(o => o.Id == subject.Id, cancellationToken);
                db.ExpectVersion(objective, command.Version);
                if (subject.Action == ImpactAction.Delete)
                {
                    objective.Delete(clock.GetUtcNow(), user.Id);
                }
                else
                {
                    objective.Retire();
                }

                break;
            default:
                var owner = await db.Objectives.Include(o => o.KeyResults).SingleAsync(o => o.KeyResults.Any(k => k.Id == subject.Id), cancellationToken);
                db.ExpectVersion(owner, command.Version);
                owner.KeyResults.Single(k => k.Id == subject.Id).Retire();
                db.TouchAggregate(owner); // the objective's form stands for its key results: open edit forms become stale
                break;
        }
    }

    private async Task<List<string>> ApplyAsync(Choice choice, Dictionary<int, long> seenItems, Dictionary<int, long> seenObjectives, CancellationToken cancellationToken)
    {
        var report = new List<string>();
        if (choice.ChangedObjectives.Count > 0)
        {
            var objectives = await db.Objectives.Where(o => choice.ChangedObjectives.Contains(o.Id)).ToListAsync(cancellationToken);
            var parentOf = await ParentsAsync(cancellationToken);
            foreach (var objective in objectives)
            {
                // The version the page showed: a change meanwhile makes the one save fail, and with it everything.
                db.ExpectVersion(objective, seenObjectives[objective.Id]);
                if (choice.ObjectiveChoice == RetireCommand.Drop)
                {
                    objective.Retire();
                }
                else
                {
                    try
                    {
                        objective.Edit(objective.Title, objective.Description, choice.GoalTarget, choice.ParentTarget, objective.OwnerId, parentOf);
                    }
                    catch (DomainException ex)
                    {
                        throw new DomainException(ex.Message, nameof(RetireCommand.ObjectiveTarget)); // said beside the choice made
                    }
                }
            }

            var count = Plural(objectives.Count, "objective");
            if (choice.ObjectiveChoice == RetireCommand.Drop)
            {
                report.Add($"{count} retired");
            }
            else
            {
                report.Add($"{count} re-aligned to {await TargetLabelAsync(choice.GoalTarget is null ? LinkTargetType.Objective : LinkTargetType.Goal, choice.GoalTarget ?? choice.ParentTarget!.Value, cancellationToken)}");
                if (choice.FollowingObjectives > 0)
                {
                    report.Add($"{Plural(choice.FollowingObjectives, "objective")} followed {(choice.FollowingObjectives == 1 ? "its" : "their")} parent");
                }
            }
        }

        if (choice.RemainingItems.Count > 0 && choice.ItemChoice is not null)
        {
            var items = await db.RoadmapItems.Include(i => i.Links).Where(i => choice.RemainingItems.Contains(i.Id)).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var keptShipped = 0;
            foreach (var item in items)
            {
                db.ExpectVersion(item, seenItems[item.Id]);
                if (choice.ItemChoice == RetireCommand.Drop)
                {
                    // Dropping a shipped item would erase that it shipped: it keeps its status and only loses its link's reason.
                    if (item.Status == RoadmapItemStatus.Shipped)
                    {
                        keptShipped++;
                        continue;
                    }

                    item.ChangeStatus(RoadmapItemStatus.Dropped, now);
                }
                else
                {
                    // The old link stays, as history; the new one is the item's reason from now on. The item's own
                    // version moves too, so that its check against the version the page showed is made in the save.
                    item.LinkTo(choice.ItemTargetType!.Value, choice.ItemTargetId);
                    item.BumpVersion();
                }
            }

            if (choice.ItemChoice != RetireCommand.Drop)
            {
                report.Add($"{Plural(items.Count, "roadmap item")} linked to {await TargetLabelAsync(choice.ItemTargetType!.Value, choice.ItemTargetId, cancellationToken)}");
            }
            else
            {
                if (items.Count > keptShipped)
                {
                    report.Add($"{Plural(items.Count - keptShipped, "roadmap item")} dropped");
                }

                if (keptShipped > 0)
                {
                    report.Add($"{Plural(keptShipped, "shipped roadmap item")} kept {(keptShipped == 1 ? "its" : "their")} status and {(keptShipped == 1 ? "has" : "have")} no reason now: re-link {(keptShipped == 1 ? "it" : "them")} from the orphan queue");
                }
            }
        }

        if (choice.FollowingItems > 0)
        {
            report.Add($"{Plural(choice.FollowingItems, "roadmap item")} followed {(choice.FollowingItems == 1 ? "its" : "their")} objective");
        }

        return report;
    }

    /// <summary>Every objective's parent, read once for the domain's loop check when re-aligning to a parent.</summary>
    private async Task<Func<int, int?>> ParentsAsync(CancellationToken cancellationToken)
    {
        var parents = await db.Objectives.AsNoTracking().Where(o => o.ParentObjectiveId != null).Select(o => new { o.Id, o.ParentObjectiveId }).ToDictionaryAsync(o => o.Id, o => o.ParentObjectiveId, cancellationToken);
        return id => parents.GetValueOrDefault(id);
    }

    /// <summary>"goal #1 “Grow revenue”", "objective “…”", "key result “…”" (the goal's rank as it is after the change).</summary>
    private async Task<string> TargetLabelAsync(LinkTargetType type, int id, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case LinkTargetType.Goal:
                var tracked = db.ChangeTracker.Entries<Domain.Strategy.Goal>().Select(e => e.Entity).FirstOrDefault(g => g.Id == id);
                var goal = tracked is not null
                    ? new { tracked.Title, tracked.Rank }
                    : await db.Goals.AsNoTracking().Where(g => g.Id == id).Select(g => new { g.Title, g.Rank }).SingleAsync(cancellationToken);
                return goal.Rank is { } rank ? $"goal #{rank.ToString(CultureInfo.InvariantCulture)} “{goal.Title}”" : $"goal “{goal.Title}”";
            case LinkTargetType.Objective:
                return $"objective “{await db.Objectives.AsNoTracking().Where(o => o.Id == id).Select(o => o.Title).SingleAsync(cancellationToken)}”";
            default:
                return $"key result “{await db.KeyResults.AsNoTracking().Where(k => k.Id == id).Select(k => k.Title).SingleAsync(cancellationToken)}”";
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count.ToString(CultureInfo.InvariantCulture)} {noun}s";

    private sealed record Choice(
        string? ObjectiveChoice,
        int? GoalTarget,
        int? ParentTarget,
        IReadOnlyList<int> ChangedObjectives,
        int FollowingObjectives,
        IReadOnlyList<int> RemainingItems,
        int FollowingItems,
        string? ItemChoice,
        LinkTargetType? ItemTargetType,
        int ItemTargetId);
}
