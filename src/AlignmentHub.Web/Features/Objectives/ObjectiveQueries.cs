using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Objectives;

/// <summary>One active key result of an objective, as the edit, close, carry-over and move pages show it.</summary>
/// <param name="LinkedItems">Roadmap items still in play (not shipped, dropped or archived) that give this key result as their reason.</param>
public sealed record KeyResultInfo(int Id, string Title, KeyResultRow Row, Progress Progress, decimal? Current, int CheckIns, int LinkedItems, string Details, KeyResultDefinition CarriedDefinition);

/// <summary>An objective with what the pages around it need, read once, permission checked.</summary>
public sealed record ObjectiveContext(
    int Id,
    string Title,
    string? Description,
    int TeamId,
    string TeamName,
    Period Period,
    ObjectiveStatus Status,
    long Version,
    int? GoalId,
    int? ParentObjectiveId,
    string? OwnerId,
    decimal Weight,
    string AlignmentText,
    Progress Progress,
    IReadOnlyList<KeyResultInfo> KeyResults)
{
    public bool IsActive => Status == ObjectiveStatus.Active;

    public string Url => ObjectiveUrls.Objective(Id);

    /// <summary>The suggested closing score: the progress as a fraction, rounded like <see cref="Objective.CarryInto"/> does.</summary>
    public decimal SuggestedScore => Math.Round(Progress.RolledUp / 100m, 2, MidpointRounding.AwayFromZero);
}

/// <summary>Reads an objective for one of this feature's forms; 404 when unknown, 403 when the user may not change it.</summary>
public sealed record GetObjectiveContextQuery(int ObjectiveId) : IQuery<ObjectiveContext>;

public sealed class GetObjectiveContextHandler(AppDbContext db, OkrAccess access) : IQueryHandler<GetObjectiveContextQuery, ObjectiveContext>
{
    public async ValueTask<ObjectiveContext> Handle(GetObjectiveContextQuery query, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.AsNoTracking().Include(o => o.KeyResults)
            .SingleOrDefaultAsync(o => o.Id == query.ObjectiveId, cancellationToken) ?? throw new NotFoundException("The objective");
        await access.EnsureCanEditObjectiveAsync(objective.TeamId, await access.ProductOfAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken), cancellationToken);

        var teamName = await db.Teams.AsNoTracking().Where(t => t.Id == objective.TeamId).Select(t => t.Name).SingleAsync(cancellationToken);
        var period = await db.Periods.AsNoTracking().SingleAsync(p => p.Id == objective.PeriodId, cancellationToken);
        var active = objective.ActiveKeyResults.OrderBy(k => k.Id).ToList();
        var ids = active.Select(k => k.Id).ToList();
        var checkIns = await db.CheckIns.AsNoTracking().Where(c => ids.Contains(c.KeyResultId))
            .GroupBy(c => c.KeyResultId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var linked = await db.OpenItemLinks(ids).GroupBy(l => l.TargetId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var alignment = await db.AlignmentTextAsync(objective.GoalId, objective.ParentObjectiveId, cancellationToken);

        return new ObjectiveContext(objective.Id, objective.Title, objective.Description, objective.TeamId, teamName, period, objective.Status,
            objective.Version, objective.GoalId, objective.ParentObjectiveId, objective.OwnerId, objective.Weight, alignment, objective.Progress(),
            active.Select(k => new KeyResultInfo(k.Id, k.Title, KeyResultRow.From(k), k.Progress(), k.Current, checkIns.GetValueOrDefault(k.Id),
                linked.GetValueOrDefault(k.Id), KeyResultText.Details(k), k.DefinitionFromCurrent())).ToList());
    }
}

public sealed record Option(string Value, string Text, bool Disabled = false);

public sealed record OptionGroup(string Label, IReadOnlyList<Option> Options);

/// <summary>The choices of the objective form, limited to what the signed-in user may pick.</summary>
public sealed record ObjectiveFormOptions(
    IReadOnlyList<Option> Teams,
    IReadOnlyList<string> PeriodKeys,
    IReadOnlyList<OptionGroup> Goals,
    IReadOnlyList<Option> Parents,
    IReadOnlyList<Option> Owners,
    string? ParentPeriodKey);

/// <param name="ObjectiveId">The objective being edited (excluded from the parents, with everything below it); null on create.</param>
/// <param name="TeamId">The team the objective is (or will be) for: a product manager's goals depend on it only through the product.</param>
/// <param name="PeriodKey">The period whose objectives are offered as parents.</param>
public sealed record GetObjectiveFormOptionsQuery(int? ObjectiveId, int? TeamId, string? PeriodKey, int? CurrentGoalId, int? CurrentParentId, string? CurrentOwnerId)
    : IQuery<ObjectiveFormOptions>;

public sealed class GetObjectiveFormOptionsHandler(AppDbContext db, OkrAccess access, ICurrentUser user, TimeProvider clock)
    : IQueryHandler<GetObjectiveFormOptionsQuery, ObjectiveFormOptions>
{
    public async ValueTask<ObjectiveFormOptions> Handle(GetObjectiveFormOptionsQuery query, CancellationToken cancellationToken)
    {
        var teams = await ObjectiveTeams.EditableAsync(db, access, user, cancellationToken);
        var teamId = query.TeamId ?? teams.FirstOrDefault()?.Id ?? 0;

        // Goals: the active ones, per product the user may serve with this team's objective (rank shown).
        var goals = await db.Goals.AsNoTracking()
            .Where(g => (g.Status == GoalStatus.Active && g.Rank != null) || g.Id == query.CurrentGoalId)
            .Join(db.Products.AsNoTracking(), g => g.ProductId, p => p.Id, (g, p) => new { g.Id, g.Title, g.Rank, g.Status, g.ProductId, ProductName = p.Name })
            .ToListAsync(cancellationToken);
        var goalGroups = new List<OptionGroup>();
        foreach (var product in goals.GroupBy(g => (g.ProductId, g.ProductName)).OrderBy(g => g.Key.ProductName, StringComparer.OrdinalIgnoreCase))
        {
            if (!await access.CanEditObjectiveAsync(teamId, product.Key.ProductId, cancellationToken) && !product.Any(g => g.Id == query.CurrentGoalId))
            {
                continue;
            }

            goalGroups.Add(new OptionGroup(product.Key.ProductName, product
                .OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Title)
                .Select(g => new Option(Invariant(g.Id), g.Rank is { } rank ? $"#{rank} · {g.Title}" : $"{g.Title} (no longer active)"))
                .ToList()));
        }

        // Parents: active objectives of the same period, minus this objective and everything that contributes to it.
        var periodKey = Period.TryParseKey(query.PeriodKey, out _, out _) ? query.PeriodKey : null;
        var periodObjectives = periodKey is null
            ? []
            : await db.Objectives.AsNoTracking()
                .Where(o => db.Periods.Any(p => p.Id == o.PeriodId && p.Key == periodKey) || o.Id == query.CurrentParentId)
                .Join(db.Teams.AsNoTracking(), o => o.TeamId, t => t.Id, (o, t) => new { o.Id, o.Title, o.Status, o.GoalId, o.ParentObjectiveId, TeamName = t.Name })
                .ToListAsync(cancellationToken);
        var below = new HashSet<int>();
        if (query.ObjectiveId is { } self)
        {
            below.Add(self);
            var children = periodObjectives.Where(o => o.ParentObjectiveId is not null).ToLookup(o => o.ParentObjectiveId!.Value, o => o.Id);
            var queue = new Queue<int>([self]);
            while (queue.TryDequeue(out var next))
            {
                foreach (var child in children[next].Where(below.Add))
                {
                    queue.Enqueue(child);
                }
            }
        }

        var goalProducts = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.ProductId }).ToDictionaryAsync(g => g.Id, g => g.ProductId, cancellationToken);
        var byId = periodObjectives.ToDictionary(o => o.Id);
        var parents = new List<Option>();
        foreach (var o in periodObjectives.Where(o => !below.Contains(o.Id) && (o.Status == ObjectiveStatus.Active || o.Id == query.CurrentParentId))
                     .OrderBy(o => o.TeamName, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Title, StringComparer.OrdinalIgnoreCase))
        {
            // The product the parent serves, resolved in memory while the chain stays in this period.
            int? goalId = o.GoalId;
            var parentId = o.ParentObjectiveId;
            var seen = new HashSet<int>();
            while (goalId is null && parentId is { } p && byId.TryGetValue(p, out var up) && seen.Add(p))
            {
                (goalId, parentId) = (up.GoalId, up.ParentObjectiveId);
            }

            var productId = goalId is { } g ? goalProducts.GetValueOrDefault(g) : await access.ProductOfAsync(null, parentId, cancellationToken);
            if (o.Id != query.CurrentParentId && !await access.CanEditObjectiveAsync(teamId, productId, cancellationToken))
            {
                continue;
            }

            parents.Add(new Option(Invariant(o.Id), $"{o.Title} — {o.TeamName}{(o.Status == ObjectiveStatus.Active ? string.Empty : " (no longer active)")}"));
        }

        var owners = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled || u.Id == query.CurrentOwnerId)
            .OrderBy(u => u.DisplayName)
            .Select(u => new Option(u.Id, u.DisplayName))
            .ToListAsync(cancellationToken);

        // Periods: those that exist and the next few quarters, for the period field's suggestions.
        var keys = await db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync(cancellationToken);
        var quarter = Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        for (var i = 0; i < 4; i++)
        {
            keys.Add(quarter.Key);
            var (y, q) = quarter.Next();
            quarter = Period.ForQuarter(y, q);
        }

        return new ObjectiveFormOptions(teams.Select(t => new Option(Invariant(t.Id), t.Name)).ToList(),
            keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), goalGroups, parents, owners, periodKey);
    }

    private static string Invariant(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record TeamRef(int Id, string Name);

public sealed record GetEditableTeamsQuery : IQuery<IReadOnlyList<TeamRef>>;

public sealed class GetEditableTeamsHandler(AppDbContext db, OkrAccess access, ICurrentUser user) : IQueryHandler<GetEditableTeamsQuery, IReadOnlyList<TeamRef>>
{
    public async ValueTask<IReadOnlyList<TeamRef>> Handle(GetEditableTeamsQuery query, CancellationToken cancellationToken) =>
        await ObjectiveTeams.EditableAsync(db, access, user, cancellationToken);
}

public static class ObjectiveTeams
{
    /// <summary>
    /// The teams whose objectives the user may create: every team for administrators and product managers (whose right
    /// depends on the product the objective serves), the user's own teams for team members, none for executives.
    /// </summary>
    public static async Task<List<TeamRef>> EditableAsync(AppDbContext db, OkrAccess access, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (access.IsReadOnlyRole)
        {
            return [];
        }

        var all = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new TeamRef(t.Id, t.Name)).ToListAsync(cancellationToken);
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProductManager))
        {
            return all;
        }

        var mine = await access.MyTeamsAsync(cancellationToken);
        return all.Where(t => mine.Contains(t.Id)).ToList();
    }
}

public static class ObjectiveUrls
{
    /// <summary>The objective page (built by the OKR pages); every action of this feature ends there.</summary>
    public static string Objective(int id) => "/okrs/objectives/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public const string List = "/okrs";
}

internal static class AlignmentText
{
    /// <summary>Links from roadmap items still in play (not shipped, dropped or archived) to these key results.</summary>
    public static IQueryable<RoadmapLink> OpenItemLinks(this AppDbContext db, IReadOnlyCollection<int> keyResultIds) =>
        db.RoadmapLinks.AsNoTracking()
            .Where(l => l.TargetType == LinkTargetType.KeyResult && keyResultIds.Contains(l.TargetId))
            .Where(l => db.RoadmapItems.Any(i => i.Id == l.RoadmapItemId && i.ArchivedAt == null
                && i.Status != RoadmapItemStatus.Shipped && i.Status != RoadmapItemStatus.Dropped));

    /// <summary>"Goal #2 · New customers see value within 7 days" or "Objective · Grow expansion revenue (Growth)".</summary>
    public static async Task<string> AlignmentTextAsync(this AppDbContext db, int? goalId, int? parentId, CancellationToken cancellationToken)
    {
        if (goalId is { } g)
        {
            var goal = await db.Goals.AsNoTracking().Where(x => x.Id == g).Select(x => new { x.Title, x.Rank }).SingleOrDefaultAsync(cancellationToken);
            return goal is null ? "—" : goal.Rank is { } rank ? $"Goal #{rank} · {goal.Title}" : $"Goal · {goal.Title} (no longer active)";
        }

        if (parentId is { } p)
        {
            var parent = await db.Objectives.AsNoTracking().Where(o => o.Id == p)
                .Join(db.Teams, o => o.TeamId, t => t.Id, (o, t) => new { o.Title, Team = t.Name }).SingleOrDefaultAsync(cancellationToken);
            return parent is null ? "—" : $"Objective · {parent.Title} ({parent.Team})";
        }

        return "—";
    }
}
