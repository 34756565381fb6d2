using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Objectives;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Impact;

/// <summary>What is being retired (or, for a goal, marked achieved).</summary>
public enum ImpactSubject
{
    Goal = 1,
    Objective = 2,
    KeyResult = 3,
}

public enum ImpactAction
{
    Retire = 1,
    Achieve = 2,

    /// <summary>Delete (objectives only): like retiring for what loses its justification, but the objective is hidden and restorable for 30 days.</summary>
    Delete = 3,
}

/// <summary>
/// The subject of an impact check as read before anything else: it exists (404 otherwise), the user may change it (403
/// otherwise), and whether the action is possible at all (<see cref="NotPossible"/>: already retired, last key result …).
/// </summary>
/// <param name="Version">The version the form carries: the goal's, the objective's, or for a key result its objective's (which stands for the objective with its key results).</param>
/// <param name="ProductId">The product whose roadmap and strategy the subject belongs to; null when an objective's chain reaches no goal (then nothing can depend on it).</param>
/// <param name="InsteadUrl">Where to go instead when the action is not possible (retiring the objective of a last key result).</param>
public sealed record SubjectInfo(
    ImpactSubject Kind,
    ImpactAction Action,
    int Id,
    string Title,
    long Version,
    int? ProductId,
    string? ProductName,
    string Context,
    string BackTitle,
    string BackUrl,
    string FormUrl,
    string? NotPossible,
    string? InsteadUrl,
    int? PeriodId,
    int KeyResultCount)
{
    public LinkTargetType TargetType => Kind switch
    {
        ImpactSubject.Goal => LinkTargetType.Goal,
        ImpactSubject.Objective => LinkTargetType.Objective,
        _ => LinkTargetType.KeyResult,
    };

    /// <summary>"goal", "objective", "key result".</summary>
    public string Noun => Kind switch
    {
        ImpactSubject.Goal => "goal",
        ImpactSubject.Objective => "objective",
        _ => "key result",
    };

    /// <summary>"retired" or "marked achieved", as in "the goal being retired".</summary>
    public string Done => Action switch
    {
        ImpactAction.Achieve => "marked achieved",
        ImpactAction.Delete => "deleted",
        _ => "retired",
    };

    /// <summary>"Retire goal", "Mark goal achieved", "Retire objective", "Retire key result".</summary>
    public string ActionLabel => Action switch
    {
        ImpactAction.Achieve => "Mark goal achieved",
        ImpactAction.Delete => "Delete " + Noun,
        _ => "Retire " + Noun,
    };
}

public static class ImpactUrls
{
    public static string GoalRetire(int productId, int goalId) => Invariant($"/products/{productId}/goals/{goalId}/retire");

    public static string GoalAchieve(int productId, int goalId) => Invariant($"/products/{productId}/goals/{goalId}/achieve");

    public static string Goals(int productId) => Invariant($"/products/{productId}/goals");

    public static string Goal(int productId, int goalId) => Invariant($"/products/{productId}/goals/{goalId}");

    public static string ObjectiveRetire(int objectiveId) => Invariant($"/okrs/objectives/{objectiveId}/retire");

    public static string ObjectiveDelete(int objectiveId) => Invariant($"/okrs/objectives/{objectiveId}/delete");

    public static string KeyResultRetire(int keyResultId) => Invariant($"/okrs/key-results/{keyResultId}/retire");

    public static string Item(int itemId) => Invariant($"/roadmap/items/{itemId}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal static class ImpactSubjects
{
    public static async Task<SubjectInfo> LoadAsync(AppDbContext db, StrategyAccess strategy, OkrAccess okrs, ImpactSubject kind, ImpactAction action,
        int id, int? productId, CancellationToken cancellationToken) => kind switch
        {
            ImpactSubject.Goal => await GoalAsync(db, strategy, action, productId ?? 0, id, cancellationToken),
            ImpactSubject.Objective => await ObjectiveAsync(db, okrs, action, id, cancellationToken),
            _ => await KeyResultAsync(db, okrs, id, cancellationToken),
        };

    private static async Task<SubjectInfo> GoalAsync(AppDbContext db, StrategyAccess access, ImpactAction action, int productId, int goalId, CancellationToken cancellationToken)
    {
        var goal = await db.Goals.AsNoTracking().Where(g => g.Id == goalId && g.ProductId == productId)
            .Select(g => new { g.Title, g.Status, g.Rank, g.Version, ProductName = g.Product.Name })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The goal");
        await access.EnsureCanEditStrategyAsync(productId, cancellationToken);
        var notPossible = (action, goal.Status) switch
        {
            (ImpactAction.Retire, GoalStatus.Retired) => "This goal is already retired.",
            (ImpactAction.Achieve, GoalStatus.Achieved) => "This goal is already marked achieved.",
            (ImpactAction.Achieve, GoalStatus.Retired) => "This goal is retired: only an active goal can be marked achieved.",
            _ => null,
        };
        var context = goal.Rank is { } rank ? $"Goal #{rank} of {goal.ProductName}" : $"{goal.Status} goal of {goal.ProductName}";
        var formUrl = action == ImpactAction.Achieve ? ImpactUrls.GoalAchieve(productId, goalId) : ImpactUrls.GoalRetire(productId, goalId);
        return new SubjectInfo(ImpactSubject.Goal, action, goalId, goal.Title, goal.Version, productId, goal.ProductName, context, goal.Title,
            ImpactUrls.Goal(productId, goalId), formUrl, notPossible, null, null, 0);
    }

    private static async Task<SubjectInfo> ObjectiveAsync(AppDbContext db, OkrAccess access, ImpactAction action, int objectiveId, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.AsNoTracking().Where(o => o.Id == objectiveId)
            .Select(o => new
            {
                o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId, o.Status, o.Version, o.PeriodId,
                TeamName = db.Teams.Where(t => t.Id == o.TeamId).Select(t => t.Name).FirstOrDefault(),
                PeriodKey = db.Periods.Where(p => p.Id == o.PeriodId).Select(p => p.Key).FirstOrDefault(),
                KeyResults = o.KeyResults.Count(k => k.Status == KeyResultStatus.Active),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The objective");
        var productId = await access.ProductOfAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken);
        await access.EnsureCanEditObjectiveAsync(objective.TeamId, productId, cancellationToken);
        // A retired or closed objective may still be deleted; a deleted one is not found at all (query filter).
        var delete = action == ImpactAction.Delete;
        var notPossible = !delete && objective.Status == ObjectiveStatus.Retired ? "This objective is already retired." : null;
        return new SubjectInfo(ImpactSubject.Objective, delete ? ImpactAction.Delete : ImpactAction.Retire, objectiveId, objective.Title, objective.Version, productId,
            await ProductNameAsync(db, productId, cancellationToken), $"Objective of {objective.TeamName} · {objective.PeriodKey}",
            objective.Title, ObjectiveUrls.Objective(objectiveId), delete ? ImpactUrls.ObjectiveDelete(objectiveId) : ImpactUrls.ObjectiveRetire(objectiveId), notPossible, null, objective.PeriodId, objective.KeyResults);
    }

    private static async Task<SubjectInfo> KeyResultAsync(AppDbContext db, OkrAccess access, int keyResultId, CancellationToken cancellationToken)
    {
        var keyResult = await db.KeyResults.AsNoTracking().Where(k => k.Id == keyResultId)
            .Select(k => new
            {
                k.Title, k.Status, k.ObjectiveId,
                ObjectiveTitle = k.Objective.Title, k.Objective.TeamId, k.Objective.GoalId, k.Objective.ParentObjectiveId,
                ObjectiveStatus = k.Objective.Status, ObjectiveVersion = k.Objective.Version,
                TeamName = db.Teams.Where(t => t.Id == k.Objective.TeamId).Select(t => t.Name).FirstOrDefault(),
                ActiveKeyResults = k.Objective.KeyResults.Count(x => x.Status == KeyResultStatus.Active),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The key result");
        var productId = await access.ProductOfAsync(keyResult.GoalId, keyResult.ParentObjectiveId, cancellationToken);
        await access.EnsureCanEditObjectiveAsync(keyResult.TeamId, productId, cancellationToken);

        string? insteadUrl = null;
        string? notPossible = null;
        if (keyResult.Status == KeyResultStatus.Retired)
        {
            notPossible = "This key result is already retired.";
        }
        else if (keyResult.ObjectiveStatus != ObjectiveStatus.Active)
        {
            notPossible = $"Its objective is {(keyResult.ObjectiveStatus == ObjectiveStatus.Closed ? "closed" : "retired")}: its key results can no longer be changed.";
        }
        else if (keyResult.ActiveKeyResults <= 1)
        {
            // Domain rule (an objective keeps at least one active key result): offer the objective's own check instead.
            notPossible = $"This is the only active key result of “{keyResult.ObjectiveTitle}”, and an objective needs at least one. Retire the objective instead.";
            insteadUrl = ImpactUrls.ObjectiveRetire(keyResult.ObjectiveId);
        }

        return new SubjectInfo(ImpactSubject.KeyResult, ImpactAction.Retire, keyResultId, keyResult.Title, keyResult.ObjectiveVersion, productId,
            await ProductNameAsync(db, productId, cancellationToken), $"Key result of “{keyResult.ObjectiveTitle}” · {keyResult.TeamName}",
            keyResult.ObjectiveTitle, ObjectiveUrls.Objective(keyResult.ObjectiveId), ImpactUrls.KeyResultRetire(keyResultId), notPossible, insteadUrl, null, 0);
    }

    private static async Task<string?> ProductNameAsync(AppDbContext db, int? productId, CancellationToken cancellationToken) =>
        productId is { } p ? await db.Products.AsNoTracking().Where(x => x.Id == p).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken) : null;
}
