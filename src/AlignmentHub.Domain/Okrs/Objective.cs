using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Okrs;

/// <summary>
/// A team's objective for one period, aligned to exactly one business goal or one parent objective,
/// with 1–5 active key results.
/// </summary>
public sealed class Objective : Entity
{
    public const int MaxKeyResults = 5;

    private readonly List<KeyResult> keyResults = [];

    private Objective()
    {
        Title = string.Empty;
    }

    public Objective(int teamId, int periodId, string title, string? description, int? goalId, int? parentObjectiveId,
        string? ownerId, IReadOnlyCollection<KeyResultDefinition> keyResultDefinitions, DateTimeOffset createdAt)
    {
        TeamId = teamId;
        PeriodId = periodId;
        Title = string.Empty;
        Status = ObjectiveStatus.Active;
        CreatedAt = createdAt;
        Edit(title, description, goalId, parentObjectiveId, ownerId);
        if (keyResultDefinitions.Count is < 1 or > MaxKeyResults)
        {
            throw new DomainException($"An objective needs between 1 and {MaxKeyResults} key results.", "KeyResults");
        }

        foreach (var definition in keyResultDefinitions)
        {
            keyResults.Add(new KeyResult(this, definition, createdAt));
        }
    }

    public int TeamId { get; private set; }

    public int PeriodId { get; private set; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public int? GoalId { get; private set; }

    public int? ParentObjectiveId { get; private set; }

    public string? OwnerId { get; private set; }

    public ObjectiveStatus Status { get; private set; }

    public decimal Weight { get; private set; } = 1m;

    /// <summary>Final score 0–1 given when the objective is closed.</summary>
    public decimal? Score { get; private set; }

    public string? Retrospective { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it was deleted ("recently deleted" for <see cref="Deletion.RestoreDays"/> days); null while it exists.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>The user who deleted it.</summary>
    public string? DeletedById { get; private set; }

    public IReadOnlyCollection<KeyResult> KeyResults => keyResults;

    public IEnumerable<KeyResult> ActiveKeyResults => keyResults.Where(k => k.Status == KeyResultStatus.Active);

    /// <summary>
    /// Changes the objective's text, alignment and owner. <paramref name="parentOf"/> answers the parent of a given
    /// objective (null when it has none), so that a parent which already contributes to this objective, directly or
    /// through others, is rejected instead of creating a loop.
    /// </summary>
    public void Edit(string title, string? description, int? goalId, int? parentObjectiveId, string? ownerId, Func<int, int?>? parentOf = null)
    {
        EnsureActive();
        if (goalId.HasValue == parentObjectiveId.HasValue)
        {
            throw new DomainException("Align the objective to either a business goal or a parent objective.", "GoalId");
        }

        if (parentObjectiveId.HasValue && Id != 0 && parentObjectiveId == Id)
        {
            throw new DomainException("An objective cannot be its own parent.", "ParentObjectiveId");
        }

        if (parentObjectiveId is { } parent && Id != 0 && parentOf is not null)
        {
            var seen = new HashSet<int>();
            for (int? ancestor = parentOf(parent); ancestor is { } a && seen.Add(a); ancestor = parentOf(a))
            {
                if (a == Id)
                {
                    throw new DomainException("That objective already contributes to this one, so it cannot also be its parent: choose an objective outside this branch.", "ParentObjectiveId");
                }
            }
        }

        Title = Guard.Text(title, nameof(Title), Limits.Title);
        Description = Guard.OptionalText(description, nameof(Description), Limits.LongText);
        GoalId = goalId;
        ParentObjectiveId = parentObjectiveId;
        OwnerId = string.IsNullOrWhiteSpace(ownerId) ? null : ownerId;
    }

    public void SetWeight(decimal weight)
    {
        if (weight is <= 0m or > 100m)
        {
            throw new DomainException("Weight must be above 0 and at most 100.", nameof(Weight));
        }

        Weight = weight;
    }

    public KeyResult AddKeyResult(KeyResultDefinition definition, DateTimeOffset createdAt)
    {
        EnsureActive();
        if (ActiveKeyResults.Count() >= MaxKeyResults)
        {
            throw new DomainException($"An objective can have at most {MaxKeyResults} key results.", "KeyResults");
        }

        var keyResult = new KeyResult(this, definition, createdAt);
        keyResults.Add(keyResult);
        return keyResult;
    }

    /// <summary>Moves a key result to another objective; both keep between 1 and 5 active key results.</summary>
    public void MoveKeyResultTo(KeyResult keyResult, Objective target)
    {
        if (!keyResults.Contains(keyResult))
        {
            throw new DomainException("The key result does not belong to this objective.");
        }

        if (target == this)
        {
            throw new DomainException("Choose a different objective.", "TargetObjectiveId");
        }

        EnsureActive();
        if (keyResult.Status != KeyResultStatus.Active)
        {
            throw new DomainException("Only an active key result can be moved.");
        }

        if (target.PeriodId != PeriodId)
        {
            throw new DomainException("Choose an objective of the same period.", "TargetObjectiveId");
        }

        target.EnsureActive();
        if (target.ActiveKeyResults.Count() >= MaxKeyResults)
        {
            throw new DomainException($"The target objective already has {MaxKeyResults} key results.", "TargetObjectiveId");
        }

        EnsureAnotherActiveKeyResult(keyResult);
        keyResults.Remove(keyResult);
        target.keyResults.Add(keyResult);
        keyResult.MoveTo(target);
    }

    public Progress Progress() => ProgressCalculator.WeightedMean(
        ActiveKeyResults.Select(k => (k.Title, k.Progress().RolledUp, k.Weight)).ToList(), "key results");

    public void Close(decimal score, string? retrospective)
    {
        EnsureActive();
        if (score is < 0m or > 1m)
        {
            throw new DomainException("Score must be between 0.0 and 1.0.", nameof(Score));
        }

        Score = score;
        Retrospective = Guard.OptionalText(retrospective, nameof(Retrospective), Limits.LongText);
        Status = ObjectiveStatus.Closed;
    }

    /// <summary>
    /// Carries the unfinished part of this objective into the next period: a new objective for the same team and
    /// alignment with every active key result not yet at 100 %, each starting from where it stands now (its current
    /// value becomes the new baseline). This objective is closed with its progress as the score.
    /// </summary>
    public Objective CarryInto(Period next, Period current, DateTimeOffset at)
    {
        EnsureActive();
        if (next.Id == PeriodId || next.StartDate <= current.EndDate)
        {
            throw new DomainException("Choose a later period to carry the objective into.", "PeriodId");
        }

        var unfinished = ActiveKeyResults.Where(k => k.Progress().RolledUp < 100m).ToList();
        if (unfinished.Count == 0)
        {
            throw new DomainException("Every key result is complete: close the objective instead of carrying it over.");
        }

        var definitions = unfinished.Select(k => k.DefinitionFromCurrent()).ToList();
        var copy = new Objective(TeamId, next.Id, Title, Description, GoalId, ParentObjectiveId, OwnerId, definitions, at) { Weight = Weight };
        var score = Math.Round(Progress().RolledUp / 100m, 2, MidpointRounding.AwayFromZero);
        Close(score, $"Carried over to {next.Key} with {unfinished.Count} unfinished key result{(unfinished.Count == 1 ? string.Empty : "s")}.");
        return copy;
    }

    /// <summary>Retires the objective; the caller runs the impact check first (brief §5).</summary>
    public void Retire()
    {
        if (Status == ObjectiveStatus.Retired)
        {
            throw new DomainException("The objective is already retired.");
        }

        Status = ObjectiveStatus.Retired;
    }

    /// <summary>
    /// Deletes the objective with its key results and check-ins (hidden, restorable for <see cref="Deletion.RestoreDays"/>
    /// days); the caller runs the impact check first (brief §5). Retired and closed objectives may be deleted too.
    /// </summary>
    public void Delete(DateTimeOffset at, string? byUserId)
    {
        Deletion.EnsureDeletable(DeletedAt, "objective");
        DeletedAt = at;
        DeletedById = string.IsNullOrWhiteSpace(byUserId) ? null : byUserId;
    }

    /// <summary>Brings a deleted objective back as it was (status, alignment, key results and check-ins unchanged).</summary>
    public void RestoreDeleted(DateTimeOffset now)
    {
        Deletion.EnsureRestorable(DeletedAt, now, "objective");
        DeletedAt = null;
        DeletedById = null;
    }

    /// <summary>
    /// Its parent objective is purged for good: it takes over the parent's own alignment (the parent's goal, or the
    /// parent's parent), so the chain above it stays what it was and the row keeps exactly one alignment.
    /// </summary>
    public void ReplaceParent(int removedParentId, int? goalId, int? parentObjectiveId)
    {
        if (ParentObjectiveId != removedParentId)
        {
            throw new DomainException("That objective is not this objective's parent.");
        }

        if (goalId.HasValue == parentObjectiveId.HasValue || parentObjectiveId == Id)
        {
            throw new DomainException("Align the objective to either a business goal or a parent objective.", "GoalId");
        }

        GoalId = goalId;
        ParentObjectiveId = parentObjectiveId;
    }

    internal void EnsureAnotherActiveKeyResult(KeyResult leaving)
    {
        if (!ActiveKeyResults.Any(k => k != leaving))
        {
            throw new DomainException("An objective must keep at least one active key result.", "KeyResults");
        }
    }

    private void EnsureActive()
    {
        if (Status != ObjectiveStatus.Active)
        {
            throw new DomainException("The objective is no longer active.");
        }
    }
}
