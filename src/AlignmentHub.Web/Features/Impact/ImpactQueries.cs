using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Impact;

/// <param name="FollowsObjective">It reaches a goal again once the affected objectives are re-aligned.</param>
/// <param name="CanEdit">The signed-in user may change it (re-link or drop).</param>
public sealed record ImpactItemRow(int Id, string Title, string TeamName, RoadmapItemStatus Status, decimal? Effort, long Version, bool FollowsObjective, bool CanEdit);

/// <param name="FollowsParent">Its parent objective is affected too: it follows the parent when that is re-aligned.</param>
public sealed record ImpactObjectiveRow(int Id, string Title, string TeamName, string PeriodKey, long Version, bool FollowsParent, bool CanEdit);

/// <summary>The impact check page: the subject, exactly what would lose its justification, and the choices for it.</summary>
/// <param name="SeenItems">The affected items as the page shows them, "id:version,…": posted back so a change meanwhile is noticed.</param>
/// <param name="ObjectiveTargets">Active goals (and, when the objectives share a period, justified objectives of it as parents) to re-align the objectives to.</param>
public sealed record ImpactPage(
    SubjectInfo Subject,
    IReadOnlyList<ImpactItemRow> Items,
    IReadOnlyList<ImpactObjectiveRow> Objectives,
    IReadOnlyList<LinkTargetGroup> ItemTargets,
    IReadOnlyList<LinkTargetGroup> ObjectiveTargets,
    string SeenItems,
    string SeenObjectives)
{
    public bool IsEmpty => Items.Count == 0 && Objectives.Count == 0;

    public bool CanProceed => Subject.NotPossible is null;

    public IReadOnlyList<ImpactItemRow> LockedItems => Items.Where(i => !i.CanEdit).ToList();

    public IReadOnlyList<ImpactObjectiveRow> LockedObjectives => Objectives.Where(o => !o.CanEdit).ToList();

    public int FollowingItems => Items.Count(i => i.FollowsObjective);

    /// <summary>Effort of the affected items; an unestimated item counts as 1 point, as in the coverage figure (brief §3).</summary>
    public decimal Effort => Items.Sum(i => i.Effort ?? 1m);
}

/// <summary>Only the subject, permission checked (404, 403): what a POST checks before reading the form.</summary>
public sealed record GetImpactSubjectQuery(ImpactSubject Kind, ImpactAction Action, int Id, int? ProductId = null) : IQuery<SubjectInfo>;

public sealed class GetImpactSubjectHandler(AppDbContext db, StrategyAccess strategy, OkrAccess okrs) : IQueryHandler<GetImpactSubjectQuery, SubjectInfo>
{
    public async ValueTask<SubjectInfo> Handle(GetImpactSubjectQuery query, CancellationToken cancellationToken) =>
        await ImpactSubjects.LoadAsync(db, strategy, okrs, query.Kind, query.Action, query.Id, query.ProductId, cancellationToken);
}

public sealed record GetImpactQuery(ImpactSubject Kind, ImpactAction Action, int Id, int? ProductId = null) : IQuery<ImpactPage>;

public sealed class GetImpactHandler(AppDbContext db, AlignmentGraphLoader loader, StrategyAccess strategy, OkrAccess okrs, RoadmapAccess roadmap)
    : IQueryHandler<GetImpactQuery, ImpactPage>
{
    public async ValueTask<ImpactPage> Handle(GetImpactQuery query, CancellationToken cancellationToken)
    {
        var subject = await ImpactSubjects.LoadAsync(db, strategy, okrs, query.Kind, query.Action, query.Id, query.ProductId, cancellationToken);
        if (subject.ProductId is not { } productId || subject.NotPossible is not null)
        {
            return new ImpactPage(subject, [], [], [], [], string.Empty, string.Empty);
        }

        var graph = await loader.LoadAsync(productId, cancellationToken);
        var plan = new ImpactPlan(graph, subject.TargetType, subject.Id);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var itemIds = plan.Impact.Items.Select(i => i.Id).ToList();
        var itemRows = await db.RoadmapItems.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Title, i.TeamId, i.Status, i.Effort, i.Version })
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var items = new List<ImpactItemRow>();
        foreach (var node in plan.Impact.Items)
        {
            // Read a moment after the graph: an item gone meanwhile is simply left out (the POST notices the difference).
            if (itemRows.GetValueOrDefault(node.Id) is { } row)
            {
                items.Add(new ImpactItemRow(row.Id, row.Title, teams.GetValueOrDefault(row.TeamId) ?? "—", row.Status, row.Effort, row.Version,
                    plan.FollowingItems.Contains(row.Id), await roadmap.CanEditItemAsync(productId, row.TeamId, cancellationToken)));
            }
        }

        var objectiveIds = plan.Impact.Objectives.Select(o => o.Id).ToList();
        var objectiveRows = await db.Objectives.AsNoTracking().Where(o => objectiveIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Title, o.TeamId, o.PeriodId, o.Version, PeriodKey = db.Periods.Where(p => p.Id == o.PeriodId).Select(p => p.Key).FirstOrDefault() })
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        var objectives = new List<ImpactObjectiveRow>();
        foreach (var node in plan.Impact.Objectives)
        {
            if (objectiveRows.GetValueOrDefault(node.Id) is { } row)
            {
                objectives.Add(new ImpactObjectiveRow(row.Id, row.Title, teams.GetValueOrDefault(row.TeamId) ?? "—", row.PeriodKey ?? "—", row.Version,
                    plan.FollowingObjectives.Contains(row.Id), await okrs.CanEditObjectiveAsync(row.TeamId, productId, cancellationToken)));
            }
        }

        IReadOnlyList<LinkTargetGroup> itemTargets = items.Count == 0 ? [] : await LinkTargets.GroupsAsync(db, graph, cancellationToken, exclude: (subject.TargetType, subject.Id));
        IReadOnlyList<LinkTargetGroup> objectiveTargets = objectives.Count == 0 ? [] : await ObjectiveTargets.GroupsAsync(db, plan, teams,
            plan.Roots.Select(r => objectiveRows.GetValueOrDefault(r.Id)?.PeriodId).ToList(), subject, cancellationToken);

        return new ImpactPage(subject, items, objectives, itemTargets, objectiveTargets,
            Seen.Format(items.Select(i => (i.Id, i.Version))), Seen.Format(objectives.Select(o => (o.Id, o.Version))));
    }
}

/// <summary>What affected objectives can be re-aligned to: an active goal, or a justified objective of their period as parent.</summary>
internal static class ObjectiveTargets
{
    public static async Task<IReadOnlyList<LinkTargetGroup>> GroupsAsync(AppDbContext db, ImpactPlan plan, IReadOnlyDictionary<int, string> teams,
        IReadOnlyList<int?> rootPeriods, SubjectInfo subject, CancellationToken cancellationToken)
    {
        var groups = new List<LinkTargetGroup>();
        var goals = plan.After.Goals.Where(g => g.IsActive).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Title, StringComparer.CurrentCultureIgnoreCase)
            .Select(g => new LinkTargetOption(LinkTargets.Value(LinkTargetType.Goal, g.Id), $"Goal #{g.Rank}: {g.Title}"))
            .ToList();
        if (goals.Count > 0)
        {
            groups.Add(new LinkTargetGroup("Goals", goals));
        }

        var parents = await ParentsAsync(db, plan, rootPeriods, subject, cancellationToken);
        if (parents.Count > 0)
        {
            groups.Add(new LinkTargetGroup("Parent objectives (same period)", parents
                .OrderBy(p => teams.GetValueOrDefault(p.TeamId), StringComparer.CurrentCultureIgnoreCase).ThenBy(p => p.Title, StringComparer.CurrentCultureIgnoreCase)
                .Select(p => new LinkTargetOption(LinkTargets.Value(LinkTargetType.Objective, p.Id), $"Objective: {p.Title} ({teams.GetValueOrDefault(p.TeamId) ?? "—"})"))
                .ToList()));
        }

        return groups;
    }

    /// <summary>
    /// Parents on offer: only when every root objective is of one period (a parent must share it), then the active
    /// objectives of that period that still reach an active goal once the subject is retired and are not affected themselves.
    /// </summary>
    public static async Task<List<(int Id, string Title, int TeamId)>> ParentsAsync(AppDbContext db, ImpactPlan plan, IReadOnlyList<int?> rootPeriods,
        SubjectInfo subject, CancellationToken cancellationToken)
    {
        if (rootPeriods.Count == 0 || rootPeriods.Any(p => p is null) || rootPeriods.Distinct().Count() != 1)
        {
            return [];
        }

        var periodId = rootPeriods[0]!.Value;
        var candidates = await db.Objectives.AsNoTracking().Where(o => o.PeriodId == periodId && o.Status == ObjectiveStatus.Active)
            .Select(o => new { o.Id, o.Title, o.TeamId })
            .ToListAsync(cancellationToken);
        return candidates
            .Where(o => plan.After.IsJustified(o.Id) && !plan.IsAffected(o.Id) && !(subject.Kind == ImpactSubject.Objective && o.Id == subject.Id))
            .Select(o => (o.Id, o.Title, o.TeamId))
            .ToList();
    }
}

/// <summary>The "id:version,id:version" list a page posts back, to notice what changed while the user was looking.</summary>
internal static class Seen
{
    public static string Format(IEnumerable<(int Id, long Version)> rows) =>
        string.Join(",", rows.OrderBy(r => r.Id).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Id}:{r.Version}")));

    /// <summary>Reads the list back; null when it is not in the expected form (a damaged form counts as "changed").</summary>
    public static Dictionary<int, long>? Parse(string? text)
    {
        var result = new Dictionary<int, long>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var part in text.Split(','))
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2
                || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !long.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                || !result.TryAdd(id, version))
            {
                return null;
            }
        }

        return result;
    }
}
