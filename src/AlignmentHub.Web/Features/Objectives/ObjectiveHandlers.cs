using System.Globalization;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Objectives;

public sealed class CreateObjectiveHandler(AppDbContext db, OkrAccess access, TimeProvider clock) : ICommandHandler<CreateObjectiveCommand, int>
{
    public async ValueTask<int> Handle(CreateObjectiveCommand command, CancellationToken cancellationToken)
    {
        var teamId = command.TeamId!.Value;
        var (goalId, parentId) = command.Alignment;
        await access.EnsureCanEditObjectiveAsync(teamId, await access.ProductOfAsync(goalId, parentId, cancellationToken), cancellationToken);
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            throw new DomainException("Choose a team from the list.", nameof(CreateObjectiveCommand.TeamId));
        }

        var key = command.Period!.Trim().ToUpperInvariant();
        _ = Period.TryParseKey(key, out var year, out var quarter);
        var period = await db.Periods.SingleOrDefaultAsync(p => p.Key == key, cancellationToken) ?? Period.ForQuarter(year, quarter);
        await db.EnsureAlignmentChoiceAsync(goalId, parentId, period.Id, current: null, cancellationToken);
        await db.EnsureOwnerChoiceAsync(command.OwnerId, currentOwnerId: null, cancellationToken);

        // The objective is built row by row, so that a broken business rule lands beside the row that broke it.
        // (Objective-level fields were checked by the validator; what the constructor could still refuse is a row.)
        var now = clock.GetUtcNow();
        var failures = new List<ValidationFailure>();
        Objective? objective = null;
        for (var i = 0; i < command.KeyResults.Count; i++)
        {
            try
            {
                var definition = command.KeyResults[i].ToDefinition();
                if (objective is null)
                {
                    objective = new Objective(teamId, period.Id, command.Title!, command.Description, goalId, parentId, command.OwnerId, [definition], now);
                }
                else
                {
                    objective.AddKeyResult(definition, now);
                }
            }
            catch (DomainException ex) when (RowFields.Contains(ex.Field))
            {
                failures.Add(RowFields.Failure(i, ex));
            }
        }

        if (failures.Count > 0 || objective is null)
        {
            throw new ValidationException(failures);
        }

        objective.SetWeight(command.Weight!.Value);

        // One transaction: a period created on demand is saved first (the objective needs its key), then the objective.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveNewPeriodAsync(period, cancellationToken);
        db.Objectives.Add(objective);
        db.Entry(objective).Property(o => o.PeriodId).CurrentValue = period.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return objective.Id;
    }
}

public sealed class EditObjectiveHandler(AppDbContext db, OkrAccess access, TimeProvider clock, AlignmentGraphLoader loader) : ICommandHandler<EditObjectiveCommand, EditObjectiveResult>
{
    public async ValueTask<EditObjectiveResult> Handle(EditObjectiveCommand command, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Id == command.ObjectiveId, cancellationToken)
            ?? throw new NotFoundException("The objective");
        var productId = await access.ProductOfAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken);
        await access.EnsureCanEditObjectiveAsync(objective.TeamId, productId, cancellationToken);
        var (goalId, parentId) = command.Alignment;
        if (goalId != objective.GoalId || parentId != objective.ParentObjectiveId)
        {
            // Re-aligning to another product's goal needs the right to edit objectives of that product too.
            await access.EnsureCanEditObjectiveAsync(objective.TeamId, await access.ProductOfAsync(goalId, parentId, cancellationToken), cancellationToken);
        }

        if (objective.Status != ObjectiveStatus.Active)
        {
            throw new DomainException("This objective is closed: it can no longer be edited.");
        }

        if (objective.Version != command.Version)
        {
            throw await db.ObjectiveConflictAsync(objective, cancellationToken);
        }

        db.ExpectVersion(objective, command.Version);
        await db.EnsureAlignmentChoiceAsync(goalId, parentId, objective.PeriodId, objective, cancellationToken);
        await db.EnsureOwnerChoiceAsync(command.OwnerId, objective.OwnerId, cancellationToken);
        objective.Edit(command.Title!, command.Description, goalId, parentId, command.OwnerId, await db.ParentLookupAsync(parentId, cancellationToken));
        objective.SetWeight(command.Weight!.Value);

        var failures = new List<ValidationFailure>();
        var active = objective.ActiveKeyResults.ToList();
        var kept = new Dictionary<int, KeyResult>();
        var added = new List<(int Index, KeyResultRow Row)>();
        for (var i = 0; i < command.KeyResults.Count; i++)
        {
            var row = command.KeyResults[i];
            if (row.KeyResultId is not { } id)
            {
                added.Add((i, row));
                continue;
            }

            // Only this objective's active key results can be edited through its form (a posted id of another one is refused).
            var keyResult = active.FirstOrDefault(k => k.Id == id);
            if (keyResult is null || !kept.TryAdd(id, keyResult))
            {
                failures.Add(new ValidationFailure($"KeyResults[{i}].Title",
                    "This key result is no longer part of this objective (it was moved or retired meanwhile). Remove the row, or add it again as a new key result."));
                continue;
            }

            try
            {
                keyResult.Redefine(row.ToDefinition());
            }
            catch (DomainException ex) when (RowFields.Contains(ex.Field))
            {
                failures.Add(RowFields.Failure(i, ex));
            }
        }

        // Removed rows retire their key results (check-ins are kept forever); one waits while it is the last active one.
        var removed = active.Where(k => !kept.ContainsKey(k.Id)).ToList();

        // Nothing becomes an orphan silently (brief §5): a key result that roadmap items rely on is refused here and
        // retired through its impact check instead, where they are re-linked or dropped. Its row comes back with the reason.
        foreach (var (keyResult, items) in await ItemsRelyingOnAsync(removed, productId, cancellationToken))
        {
            var index = command.KeyResults.Count;
            command.KeyResults.Add(KeyResultRow.From(keyResult));
            failures.Add(new ValidationFailure(string.Create(CultureInfo.InvariantCulture, $"KeyResults[{index}].{nameof(KeyResultRow.KeyResultId)}"),
                (items == 1 ? "1 roadmap item relies" : string.Create(CultureInfo.InvariantCulture, $"{items} roadmap items rely"))
                + " on this key result. Retire it with the impact check first."));
        }

        var waiting = new List<KeyResult>();
        foreach (var keyResult in removed)
        {
            if (objective.ActiveKeyResults.Count() > 1)
            {
                keyResult.Retire();
            }
            else
            {
                waiting.Add(keyResult);
            }
        }

        var now = clock.GetUtcNow();
        foreach (var (index, row) in added)
        {
            try
            {
                objective.AddKeyResult(row.ToDefinition(), now);
            }
            catch (DomainException ex) when (RowFields.Contains(ex.Field))
            {
                failures.Add(RowFields.Failure(index, ex));
            }

            foreach (var keyResult in waiting.Where(_ => objective.ActiveKeyResults.Count() > 1).ToList())
            {
                keyResult.Retire();
                waiting.Remove(keyResult);
            }
        }

        if (failures.Count > 0)
        {
            db.ChangeTracker.Clear();
            throw new ValidationException(failures);
        }

        db.TouchAggregate(objective);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var fresh = await db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Id == command.ObjectiveId, cancellationToken)
                ?? throw new NotFoundException("The objective");
            throw await db.ObjectiveConflictAsync(fresh, cancellationToken);
        }

        return new EditObjectiveResult(objective.Id, removed.Count);
    }

    /// <summary>
    /// The removed key results that active items rely on: items aligned now that would no longer reach an active goal
    /// once all the removed key results are retired, counted per key result they link to.
    /// </summary>
    private async Task<List<(KeyResult KeyResult, int Items)>> ItemsRelyingOnAsync(List<KeyResult> removed, int? productId, CancellationToken cancellationToken)
    {
        if (removed.Count == 0 || productId is not { } product)
        {
            return [];
        }

        var graph = await loader.LoadAsync(product, cancellationToken);
        var after = removed.Aggregate(graph, (g, k) => g.Without(LinkTargetType.KeyResult, k.Id));
        var orphaned = graph.Items.Where(i => i.Counts && graph.IsAligned(i.Id) && !after.IsAligned(i.Id)).Select(i => i.Id).ToHashSet();
        return removed
            .Select(k => (k, graph.Links.Where(l => l.TargetType == LinkTargetType.KeyResult && l.TargetId == k.Id && orphaned.Contains(l.ItemId)).Select(l => l.ItemId).Distinct().Count()))
            .Where(x => x.Item2 > 0)
            .ToList();
    }
}

/// <summary>The key-result fields a <see cref="DomainException"/> from <see cref="KeyResult"/> can name, and where its message goes.</summary>
internal static class RowFields
{
    private static readonly HashSet<string> Names =
    [
        nameof(KeyResultRow.Title), nameof(KeyResultRow.MetricName), nameof(KeyResultRow.MetricType), nameof(KeyResultRow.Direction),
        nameof(KeyResultRow.Baseline), nameof(KeyResultRow.Target), nameof(KeyResultRow.BandLow), nameof(KeyResultRow.BandHigh),
        nameof(KeyResultRow.Unit), nameof(KeyResultRow.CurrencyCode), nameof(KeyResultRow.Weight), nameof(KeyResultRow.CadenceDays),
    ];

    public static bool Contains(string? field) => field is not null && Names.Contains(field);

    public static ValidationFailure Failure(int index, DomainException ex) =>
        new(string.Create(CultureInfo.InvariantCulture, $"KeyResults[{index}].{ex.Field}"), ex.Message);
}

internal static class ObjectivePersistence
{
    /// <summary>
    /// The objective's version stands for the whole objective form, key results included: when only a key result
    /// changed (or one was added, retired or moved), the objective row is bumped too, so a second editor's stale form
    /// conflicts instead of silently overwriting. Check-ins do not go through here, so they never make a form stale.
    /// </summary>
    public static void TouchAggregate(this AppDbContext db, Objective objective)
    {
        db.ChangeTracker.DetectChanges();
        if (db.ChangeTracker.HasChanges() && db.Entry(objective).State == EntityState.Unchanged)
        {
            objective.BumpVersion();
        }
    }

    /// <summary>Saves a period created on demand (inside the caller's transaction); a period that exists is left alone.</summary>
    public static async Task SaveNewPeriodAsync(this AppDbContext db, Period period, CancellationToken cancellationToken)
    {
        if (period.Id != 0)
        {
            return;
        }

        db.Periods.Add(period);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException($"Someone created the period {period.Key} at the same moment. Save again.", "Period");
        }
    }

    /// <summary>
    /// A newly chosen goal must be active, a newly chosen parent must be an active objective of the same period; the
    /// current alignment may stay as it is even when its goal or parent is no longer active.
    /// </summary>
    public static async Task EnsureAlignmentChoiceAsync(this AppDbContext db, int? goalId, int? parentId, int periodId, Objective? current, CancellationToken cancellationToken)
    {
        if (goalId is { } g && g != current?.GoalId && !await db.Goals.AnyAsync(x => x.Id == g && x.Status == GoalStatus.Active, cancellationToken))
        {
            throw new DomainException("Choose an active business goal from the list.", nameof(ObjectiveFormCommand.GoalId));
        }

        if (parentId is { } p && p != current?.ParentObjectiveId)
        {
            var parent = await db.Objectives.AsNoTracking().Where(o => o.Id == p).Select(o => new { o.Status, o.PeriodId }).SingleOrDefaultAsync(cancellationToken);
            if (parent is null || parent.Status != ObjectiveStatus.Active)
            {
                throw new DomainException("Choose an active objective from the list.", nameof(ObjectiveFormCommand.ParentObjectiveId));
            }

            if (parent.PeriodId != periodId)
            {
                throw new DomainException("The parent objective must belong to the same period as this one.", nameof(ObjectiveFormCommand.ParentObjectiveId));
            }
        }
    }

    public static async Task EnsureOwnerChoiceAsync(this AppDbContext db, string? ownerId, string? currentOwnerId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(ownerId) && ownerId != currentOwnerId
            && !await db.Users.AnyAsync(u => u.Id == ownerId && !u.IsDisabled, cancellationToken))
        {
            throw new DomainException("Choose an owner from the list.", nameof(ObjectiveFormCommand.OwnerId));
        }
    }

    /// <summary>The chain of parents above <paramref name="parentId"/>, read up front for the domain's loop check.</summary>
    public static async Task<Func<int, int?>> ParentLookupAsync(this AppDbContext db, int? parentId, CancellationToken cancellationToken)
    {
        var parents = new Dictionary<int, int?>();
        for (var next = parentId; next is { } id && parents.Count < 100 && !parents.ContainsKey(id);)
        {
            next = await db.Objectives.AsNoTracking().Where(o => o.Id == id).Select(o => o.ParentObjectiveId).SingleOrDefaultAsync(cancellationToken);
            parents[id] = next;
        }

        return id => parents.GetValueOrDefault(id);
    }

    /// <summary>The conflict shown to the second editor: who saved last and the objective with its key results as stored now.</summary>
    public static async Task<ConcurrencyConflictException> ObjectiveConflictAsync(this AppDbContext db, Objective stored, CancellationToken cancellationToken)
    {
        var owner = stored.OwnerId is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == stored.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
        var values = new Dictionary<string, string?>
        {
            ["Title"] = stored.Title,
            ["Description"] = stored.Description,
            ["Aligned to"] = await db.AlignmentTextAsync(stored.GoalId, stored.ParentObjectiveId, cancellationToken),
            ["Owner"] = owner,
            ["Weight"] = KeyResultText.Number(stored.Weight),
        };
        var n = 0;
        foreach (var keyResult in stored.ActiveKeyResults.OrderBy(k => k.Id))
        {
            values[$"Key result {++n}"] = KeyResultText.Summary(keyResult);
        }

        return await db.ConflictAsync(nameof(Objective), stored.Id, stored.Version, values, cancellationToken);
    }
}

/// <summary>Key results in words, for summaries on this feature's pages.</summary>
public static class KeyResultText
{
    public static string Number(decimal value) => value.ToString("#,0.##########", CultureInfo.InvariantCulture);

    /// <summary>The OKR pages' name for a metric type; "Choose…" for a value the form has not set yet.</summary>
    public static string TypeName(MetricType type) => Enum.IsDefined(type) ? Okrs.OkrText.TypeName(type) : "Choose…";

    public static string DirectionName(MetricDirection direction) => direction switch
    {
        MetricDirection.Increase => "Increase (higher is better)",
        MetricDirection.Decrease => "Decrease (lower is better)",
        MetricDirection.StayAbove => "Stay above the target",
        MetricDirection.StayBelow => "Stay below the target",
        MetricDirection.StayWithin => "Stay within a band",
        _ => "Choose…",
    };

    /// <summary>A value with its unit: "12 days", "45 %", "3.8 EUR".</summary>
    public static string Value(MetricType type, string? unit, string? currency, decimal value) => type switch
    {
        MetricType.Boolean or MetricType.Milestone => value >= 1m ? "done" : "not yet",
        MetricType.Percent => Number(value) + " %",
        MetricType.Currency => Number(value) + (currency is null ? string.Empty : " " + currency),
        _ => string.IsNullOrEmpty(unit) ? Number(value) : Number(value) + " " + unit,
    };

    public static string Goalposts(MetricType type, MetricDirection direction, string? unit, string? currency, decimal baseline, decimal target, decimal? low, decimal? high)
    {
        string V(decimal v) => Value(type, unit, currency, v);
        return type is MetricType.Boolean or MetricType.Milestone
            ? "not yet → done"
            : direction switch
            {
                MetricDirection.StayAbove => $"stay at or above {V(target)}",
                MetricDirection.StayBelow => $"stay at or below {V(target)}",
                MetricDirection.StayWithin => $"stay within {V(low ?? target)} – {V(high ?? target)}",
                _ => $"{V(baseline)} → {V(target)}",
            };
    }

    /// <summary>"Median days to first value — Number, 12 days → 6 days, weight 1, check-in every 14 days".</summary>
    public static string Summary(KeyResult k) => $"{k.Title} — {Details(k)}";

    /// <summary>"Number, 12 days → 6 days, weight 1, check-in every 14 days".</summary>
    public static string Details(KeyResult k) =>
        $"{TypeName(k.MetricType)}, {Goalposts(k.MetricType, k.Direction, k.Unit, k.CurrencyCode, k.Baseline, k.Target, k.BandLow, k.BandHigh)}, weight {Number(k.Weight)}, check-in every {k.CadenceDays} days";
}
